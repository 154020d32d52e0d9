import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relocateCommand } from "../src/commands/leads-command.ts";

const MAIN = join(import.meta.dirname, "../src/main.ts");
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // An Arizona lead without a ZIP as an older table placed it: Phoenix only (no Navajo Nation).
  await sql`INSERT INTO leads (phone, state, timezones, states, next_attempt_at)
            VALUES ('+16025550777', 'AZ', '{America/Phoenix}', '{AZ}', now())`.execute(database.db);
});
afterAll(async () => database.drop());

function io() {
  const out: string[] = [];
  const progress: string[] = [];
  return {
    out,
    progress,
    io: {
      env: { DATABASE_URL: database.url },
      write: (line: string) => out.push(line),
      writeProgress: (line: string) => progress.push(line),
    },
  };
}

describe("redial leads relocate", () => {
  it("--dry-run counts the leads to widen and writes nothing; the run widens and reschedules them", async () => {
    const dry = io();
    expect(await relocateCommand({ dryRun: true }, dry.io)).toEqual({
      checked: 1,
      widened: 1,
      rescheduled: 0,
    });
    expect(dry.out).toEqual([
      "dry run: 1 leads not completed, 1 would gain a zone or state (nothing written)",
    ]);
    expect(dry.progress).toEqual(["checked 1 leads, 1 to widen"]);

    const run = io();
    expect(await relocateCommand({ batchSize: "500" }, run.io)).toEqual({
      checked: 1,
      widened: 1,
      rescheduled: 1,
    });
    const { rows } = await sql<{ timezones: string[] }>`
      SELECT timezones FROM leads WHERE phone = '+16025550777'`.execute(database.db);
    expect(rows[0]?.timezones).toEqual(["America/Denver", "America/Phoenix"]);
    const { rows: jobs } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial' AND state = 'created'`.execute(
      database.db,
    );
    expect(jobs[0]?.n).toBe(1);
  });

  it("refuses a bad --batch-size and a missing DATABASE_URL with a message, exit code 1", async () => {
    const run = promisify(execFile);
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    await expect(
      run(process.execPath, ["--experimental-strip-types", MAIN, "leads", "relocate", "--batch-size", "0"], {
        env: { ...env, DATABASE_URL: database.url },
      }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--batch-size must be a whole number ≥ 1"),
    });
    await expect(
      run(process.execPath, ["--experimental-strip-types", MAIN, "leads", "relocate"], { env }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("DATABASE_URL") });
  });
});
