import { migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";

/** `pnpm migrate`: our SQL migrations, then pg-boss's schema and queues, against DATABASE_URL. */
export async function migrateCommand(
  databaseUrl: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  if (!databaseUrl)
    throw new Error(
      "DATABASE_URL is not set: point it at the database to migrate (pnpm start migrates the embedded one itself).",
    );
  const result = await migrate(databaseUrl);
  await prepareQueues(databaseUrl);
  log(
    result.applied.length === 0
      ? `up to date (schema version ${result.version})`
      : `applied ${result.applied.join(", ")} (schema version ${result.version})`,
  );
}
