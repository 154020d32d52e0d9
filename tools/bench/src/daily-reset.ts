/**
 * The daily reset of a million leads: how long runDailyReset (the worker's 00:01 daily-reset job:
 * leads at their daily maximum become active again, then the heal sweep) takes over 1,000,000
 * held leads (90% at their daily maximum, each with a call, its evidence and webhook event, and
 * its dial job queued for tomorrow), and whether a dial + result loop running beside it (the
 * result is the call's webhook) stalls: each step's latency during the reset against the seconds
 * before it.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/daily-reset.ts \
 *     [--held 1000000] [--daily-max-share 0.9] [--loop-leads 50] [--before-seconds 10] [--compare] [--lanes 2]
 *
 * --compare first runs the reset as it was (one UPDATE of every lead in one transaction) beside
 * the same loop, puts the leads back at their daily maximum, and vacuums, for a before/after in one run.
 * DATABASE_URL names a server; a scratch database is created there and dropped.
 */
import { parseArgs } from "node:util";
import { dailyResetLines, runDailyResetBench } from "./daily-reset/daily-reset-bench.ts";

const { values } = parseArgs({
  options: {
    held: { type: "string", default: "1000000" },
    "daily-max-share": { type: "string", default: "0.9" },
    "loop-leads": { type: "string", default: "50" },
    "before-seconds": { type: "string", default: "10" },
    compare: { type: "boolean", default: false },
    lanes: { type: "string" },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl)
  throw new Error("DATABASE_URL: the URL of a PostgreSQL server where a scratch database may be created");
const options = {
  serverUrl,
  held: Number(values.held),
  dailyMaxShare: Number(values["daily-max-share"]),
  loopLeads: Number(values["loop-leads"]),
  beforeSeconds: Number(values["before-seconds"]),
  compare: values.compare,
  ...(values.lanes !== undefined ? { lanes: Number(values.lanes) } : {}),
};
const command = `node --experimental-strip-types tools/bench/src/daily-reset.ts --held ${options.held} --daily-max-share ${options.dailyMaxShare} --loop-leads ${options.loopLeads} --before-seconds ${options.beforeSeconds}${options.compare ? " --compare" : ""}${options.lanes !== undefined ? ` --lanes ${options.lanes}` : ""}`;
const report = await runDailyResetBench(options, (line) => console.error(line));
for (const line of dailyResetLines(report, command)) console.log(line);
