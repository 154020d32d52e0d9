import { createLogger } from "@redial/config";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { type ConsentRequirement, DEFAULT_REDIAL_POLICY } from "@redial/domain";
import { type Runtime, startRuntime } from "../runtime.ts";

/**
 * Tests only: a runtime (database pool, pg-boss, calendar) over a fresh test database, default
 * policy, calls reconciled after 32 minutes. No consent is required unless a test asks
 * (`consentRequired`): the tests that are not about consent admit leads without one.
 */
export async function startTestRuntime(
  options: { syncToConvoso?: boolean; consentRequired?: ConsentRequirement } = {},
): Promise<{ database: TestDatabase; runtime: Runtime }> {
  const database = await createTestDatabase();
  const runtime = await startRuntime({
    databaseUrl: database.url,
    policy: { ...DEFAULT_REDIAL_POLICY, consentRequired: options.consentRequired ?? "none" },
    reconcileAfterMs: 32 * 60_000,
    log: createLogger({ name: "test", level: "silent", pretty: false }),
    poolSize: 3,
    syncToConvoso: options.syncToConvoso ?? true,
  });
  return { database, runtime };
}
