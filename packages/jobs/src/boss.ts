import { PgBoss } from "pg-boss";
import { QUEUES } from "./catalog.ts";

export interface BossOptions {
  /** Run pg-boss maintenance and cron in this process (workers do; the API does not). */
  supervise?: boolean;
  schedule?: boolean;
  max?: number;
}

export function createBoss(connectionString: string, options: BossOptions = {}): PgBoss {
  return new PgBoss({
    connectionString,
    max: options.max ?? 5,
    supervise: options.supervise ?? false,
    schedule: options.schedule ?? false,
    maintenanceIntervalSeconds: 300,
    superviseIntervalSeconds: 10,
    migrate: true,
  });
}

/** Create (or bring up to date) every queue of the catalog. Idempotent. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const queue of Object.values(QUEUES)) {
    const existing = await boss.getQueue(queue.name);
    if (existing) continue;
    await boss.createQueue(queue.name, { ...queue.options });
  }
}

/** Install pg-boss's schema and our queues in a database, then disconnect (migrations, test templates). */
export async function prepareQueues(connectionString: string): Promise<void> {
  const boss = createBoss(connectionString, { max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
}
