/**
 * Does a dial or a result cost more when a million leads are held? The dial loop's PostgreSQL
 * work (dialLead + receiveBlandWebhook through the services, no HTTP: loop-statements.ts) per dial
 * and per result — statements, shared buffers, execution time (pg_stat_statements) and the CPU of
 * this database's backends (/proc) — with 10,000 then 1,000,000 leads held in the same scratch
 * database (waiting for tomorrow: active or at their daily maximum, each with its calls, their
 * evidence and webhook events, and its dial job queued for tomorrow). Prints the ratios against
 * the target (≤ 1.2×) and the statements whose buffers grew.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/held-leads.ts \
 *     [--sizes 10000,1000000] [--leads 200] [--rounds 5] [--attempts-per-lead 2] [--daily-max-share 0.2] [--keep]
 *
 * DATABASE_URL names a server (with pg_stat_statements preloaded); a scratch database is created there and
 * dropped (--keep leaves it, for EXPLAIN: drop it yourself).
 */
import { parseArgs } from "node:util";
import { heldLeadsLines, runHeldLeadsBench } from "./held-leads/held-leads-bench.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,1000000" },
    leads: { type: "string", default: "200" },
    rounds: { type: "string", default: "5" },
    "attempts-per-lead": { type: "string", default: "2" },
    "daily-max-share": { type: "string", default: "0.2" },
    keep: { type: "boolean", default: false },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl)
  throw new Error("DATABASE_URL: the URL of a PostgreSQL server where a scratch database may be created");
const options = {
  serverUrl,
  sizes: values.sizes.split(",").map(Number),
  leads: Number(values.leads),
  rounds: Number(values.rounds),
  attemptsPerLead: Number(values["attempts-per-lead"]),
  dailyMaxShare: Number(values["daily-max-share"]),
  keep: values.keep,
};
const command = `node --experimental-strip-types tools/bench/src/held-leads.ts --sizes ${options.sizes.join(",")} --leads ${options.leads} --rounds ${options.rounds} --attempts-per-lead ${options.attemptsPerLead} --daily-max-share ${options.dailyMaxShare}`;
const measurements = await runHeldLeadsBench(options, (line) => console.error(line));
for (const line of heldLeadsLines(measurements, command)) console.log(line);
