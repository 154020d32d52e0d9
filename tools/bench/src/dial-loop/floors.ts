import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createBlandClient, verifyWebhookSignature } from "@redial/bland";
import { PreparingClient } from "@redial/db";
import { createBoss, type PgBoss, QUEUES } from "@redial/jobs";
import { dialWorkOptions } from "@redial/worker";
import type { WorkerShape } from "./baseline.ts";
import {
  type BackendTicks,
  backendMsBetween,
  backendTicks,
  type CpuSample,
  cpuBetween,
  cpuSample,
  perUnit,
} from "./cpu.ts";
import type { BenchLoop } from "./loop.ts";
import type { ScratchDatabase } from "./scratch-database.ts";
import { percentile, waitUntil } from "./stats.ts";

/**
 * Floors: the parts of the dial loop that are not ours, measured alone on the same database and
 * worker shape, so the targets can be read against what the queue and the HTTP steps allow here.
 */

export interface QueueBurstResult {
  jobs: number;
  /** Handler start − due time, seconds. */
  lag: { p50: number; p99: number; max: number };
  jobsPerSecond: number;
}

export interface SkeletonResult {
  leads: number;
  cycles: number;
  seconds: number;
  cyclesPerSecond: number;
  cpuPerCycle: CpuSample;
}

const LEAD_TIME_MS = 3000;

async function startBosses(databaseUrl: string, shape: WorkerShape, label: string): Promise<PgBoss[]> {
  const bosses: PgBoss[] = [];
  for (let i = 0; i < shape.workers; i++) {
    // As a worker process's runtime creates it.
    const boss = createBoss(databaseUrl, { supervise: true, schedule: true, pgClient: PreparingClient });
    boss.on("error", (error) => process.stderr.write(`bench ${label}: pg-boss error: ${error.message}\n`));
    await boss.start();
    bosses.push(boss);
  }
  return bosses;
}

async function stopBosses(bosses: readonly PgBoss[], queue: string): Promise<void> {
  await Promise.all(bosses.map((boss) => boss.offWork(queue, { wait: true })));
  await bosses[0]?.deleteQueue(queue);
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: true, timeout: 10_000 })));
}

/**
 * pg-boss alone with `jobs` jobs due at the same instant (inserted ahead, as the lag phase's
 * leads are), worked by a no-op handler with the dial worker's fetch settings: the lag no
 * dial loop on this queue and machine can beat.
 */
export async function runQueueBurst(
  database: ScratchDatabase,
  shape: WorkerShape,
  jobs: number,
): Promise<QueueBurstResult> {
  const queue = "bench-queue-burst";
  const bosses = await startBosses(database.url, shape, "queue burst");
  const [first] = bosses;
  if (!first) throw new Error("--workers must be at least 1.");
  await first.createQueue(queue, { ...QUEUES.dial.options });
  const dueAt = Date.now() + LEAD_TIME_MS;
  for (let start = 0; start < jobs; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, jobs - start) }, (_, i) => ({
      data: { leadId: start + i + 1 },
      singletonKey: String(start + i + 1),
      startAfter: new Date(dueAt),
    }));
    await first.insert(queue, batch);
  }
  const lags: number[] = [];
  let lastAt = Date.now();
  for (const boss of bosses) {
    await boss.work(queue, dialWorkOptions(shape.concurrency, shape.pollSeconds), async (batch) => {
      const at = Date.now();
      lastAt = at;
      for (let i = 0; i < batch.length; i++) lags.push((at - dueAt) / 1000);
      return batch.map((job) => ({ id: job.id, status: "completed" as const }));
    });
  }
  await waitUntil(
    () => lags.length >= jobs,
    () => lastAt,
    "queue-burst jobs",
  ).catch(async (error: unknown) => {
    // A failed phase leaves no pg-boss instance behind (the scratch database is dropped next).
    await stopBosses(bosses, queue).catch(() => undefined);
    throw error;
  });
  await stopBosses(bosses, queue);
  lags.sort((a, b) => a - b);
  return {
    jobs,
    lag: { p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), max: lags.at(-1) ?? Number.NaN },
    jobsPerSecond: jobs / Math.max(0.001, lags.at(-1) ?? 0),
  };
}

/**
 * The loop's steps that are not ours: a pg-boss job → POST /v1/calls to the simulator (the real
 * Bland client) → the simulator's signed webhook to a bare node:http receiver that checks the
 * signature and sends the lead's next job. No SQL of ours, no rules, no limiter: the most any
 * implementation of this loop could do on this queue and machine.
 */
export async function runSkeleton(
  database: ScratchDatabase,
  loop: BenchLoop,
  shape: WorkerShape,
  options: { leads: number; cycles: number },
): Promise<SkeletonResult> {
  const queue = "bench-skeleton";
  const secret = loop.simulator.state.options.webhookSecret;
  const bosses = await startBosses(database.url, shape, "skeleton");
  const [first] = bosses;
  if (!first) throw new Error("--workers must be at least 1.");
  await first.createQueue(queue, { ...QUEUES.dial.options });

  let results = 0;
  let stopping = false;
  let lastAt = Date.now();
  let finishedAt = 0;
  let cpuAtFinish: CpuSample | undefined;
  let ownAtFinish: Promise<BackendTicks> | undefined;
  let failure: Error | undefined;
  const receiver = createServer((request, response) => {
    readBody(request)
      .then(async (raw) => {
        const signature = request.headers["x-webhook-signature"];
        if (!verifyWebhookSignature(raw, typeof signature === "string" ? signature : undefined, secret)) {
          response.writeHead(401).end();
          return;
        }
        const call = JSON.parse(raw.toString("utf8")) as { metadata?: { lead_id?: number } };
        const leadId = Number(call.metadata?.lead_id);
        if (!stopping && !(await first.send(queue, { leadId }, { singletonKey: String(leadId) })))
          throw new Error(`pg-boss refused the next skeleton job of lead ${leadId} (singleton conflict)`);
        response.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
        lastAt = Date.now();
        results++;
        if (results === options.cycles) {
          finishedAt = performance.now();
          cpuAtFinish = cpuSample();
          ownAtFinish = database.backendPids().then(backendTicks);
          stopping = true;
        }
      })
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
        response.writeHead(500).end();
      });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  const client = createBlandClient({
    baseUrl: loop.simulator.url,
    apiKey: loop.simulator.state.options.blandApiKey,
  });
  for (const boss of bosses) {
    await boss.work<{ leadId: number }>(
      queue,
      dialWorkOptions(shape.concurrency, shape.pollSeconds),
      async (batch) =>
        Promise.all(
          batch.map(async (job) => {
            await client.createCall({
              phone_number: `+1305${String(6_000_000 + job.data.leadId)}`,
              task: "Bench skeleton",
              metadata: { lead_id: job.data.leadId },
              webhook,
            });
            return { id: job.id, status: "completed" as const };
          }),
        ),
    );
  }

  const ownAtStart = backendTicks(await database.backendPids());
  const started = performance.now();
  const cpuAtStart = cpuSample();
  await first.insert(
    queue,
    Array.from({ length: options.leads }, (_, i) => ({
      data: { leadId: i + 1 },
      singletonKey: String(i + 1),
    })),
  );
  const stop = async () => {
    await stopBosses(bosses, queue);
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  };
  await waitUntil(
    () => {
      if (failure) throw failure;
      return results >= options.cycles;
    },
    () => lastAt,
    "skeleton webhooks",
  ).catch(async (error: unknown) => {
    await stop().catch(() => undefined);
    throw error;
  });
  const seconds = (finishedAt - started) / 1000;
  const cpu = {
    ...cpuBetween(cpuAtStart, cpuAtFinish ?? cpuSample()),
    ownPostgresMs: backendMsBetween(
      ownAtStart,
      await (ownAtFinish ?? database.backendPids().then(backendTicks)),
    ),
  };
  await stop();
  return {
    leads: options.leads,
    cycles: options.cycles,
    seconds,
    cyclesPerSecond: options.cycles / seconds,
    cpuPerCycle: perUnit(cpu, options.cycles),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
