/**
 * How long a lead waits after its worker is killed mid-dial: N times (default 5), a worker is
 * SIGKILLed while its dial waits (see killWorkerMidDial in packages/testing/src/dead-worker-drill.ts), and the
 * time from the kill to pg-boss failing its job and to the lead's next call attempt is printed,
 * with the median and the maximum. Real processes (simulator, api, workers) on a scratch database.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/dead-worker-recovery.ts [kills]
 *
 * DATABASE_URL names a server; a scratch database is created there and dropped.
 */
import { createDb, markAsScratchDatabase, migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { type DeadWorkerTimes, killWorkerMidDial, startSystem } from "@redial/testing";
import { createScratchDatabase } from "./scratch-database.ts";

const kills = Number(process.argv[2] ?? 5);
const scratch = await createScratchDatabase("redial_dead_worker");
await markAsScratchDatabase(scratch.server, scratch.name); // the harness's processes run a shifted clock
await migrate(scratch.url);
await prepareQueues(scratch.url);
const db = createDb(scratch.url, { max: 2 });
const system = await startSystem({
  workers: 0,
  simulator: { outcomeWeights: { no_answer: 1 } },
  database: {
    url: scratch.url,
    db,
    drop: async () => {
      await db.destroy();
      await scratch.drop();
    },
  },
});
const runs: DeadWorkerTimes[] = [];
try {
  for (let i = 0; i < kills; i++) {
    const { replacement, ...times } = await killWorkerMidDial(
      system,
      `21255508${String(i).padStart(2, "0")}`,
    );
    runs.push(times);
    console.log(
      `kill ${i + 1}: job failed after ${seconds(times.failedAfterMs)}, lead dialed again after ${seconds(times.dialedAgainAfterMs)}`,
    );
    await system.kill(replacement, "SIGTERM"); // the next drill starts with no worker
  }
} catch (error) {
  process.stderr.write(`${system.output()}\n`);
  throw error;
} finally {
  await system.stop();
}
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${seconds(sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN)}, max ${seconds(sorted.at(-1) ?? Number.NaN)}`;
};
console.log(`${kills} kills: job failed ${summary(runs.map((r) => r.failedAfterMs))}`);
console.log(`${kills} kills: lead dialed again ${summary(runs.map((r) => r.dialedAgainAfterMs))}`);

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
