import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createBoss,
  installJobTableWrites,
  PG_BOSS_VERIFIED,
  type PgBoss,
  PgBossSchemaMismatch,
  QUEUES,
} from "../src/index.ts";

/**
 * sql/job-table-writes.sql writes pg-boss's job table as pg-boss itself would. Verified against
 * exactly PG_BOSS_VERIFIED: any other installed pg-boss fails here first, until the SQL is checked
 * against the new version's own rows (these comparisons) and PG_BOSS_VERIFIED is moved to it.
 */

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

let test: TestDatabase;
let boss: PgBoss;
beforeAll(async () => {
  test = await createTestDatabase();
  boss = createBoss(test.url, { max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  await test.drop();
});

/** The pg-boss package this process loads, found from its entry point. */
function installedPgBoss(): { version: string } {
  let dir = dirname(fileURLToPath(import.meta.resolve("pg-boss")));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version: string };
      if (pkg.name === "pg-boss") return pkg;
    }
    if (dirname(dir) === dir) throw new Error("pg-boss's package.json was not found");
    dir = dirname(dir);
  }
}

/** Every workspace package.json that depends on pg-boss, and the version it asks for. */
function pinnedPgBoss(): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const group of ["apps", "packages", "tools"]) {
    let names: string[] = [];
    try {
      names = readdirSync(join(REPO_ROOT, group));
    } catch {
      continue;
    }
    for (const name of names) {
      let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      try {
        pkg = JSON.parse(readFileSync(join(REPO_ROOT, group, name, "package.json"), "utf8"));
      } catch {
        continue;
      }
      const wanted = pkg.dependencies?.["pg-boss"] ?? pkg.devDependencies?.["pg-boss"];
      if (wanted) pins[`${group}/${name}`] = wanted;
    }
  }
  return pins;
}

/** A key's jobs of a queue as pg-boss keeps them, without what differs by job or by instant. */
async function jobsOf(queue: string, key: string) {
  const { rows } = await sql<{ job: Record<string, unknown> }>`
    SELECT to_jsonb(j) - ARRAY['id', 'data', 'singleton_key', 'created_on', 'start_after', 'keep_until', 'started_on']
             || jsonb_build_object(
                  'retention', extract(epoch FROM j.keep_until - j.start_after),
                  'due_in', round(extract(epoch FROM j.start_after - now()))) AS job
    FROM pgboss.job j WHERE j.name = ${queue} AND j.singleton_key = ${key}
    ORDER BY j.created_on`.execute(test.db);
  return rows.map((row) => row.job);
}

async function dataOf(queue: string, key: string) {
  const { rows } = await sql<{ data: unknown }>`
    SELECT data FROM pgboss.job WHERE name = ${queue} AND singleton_key = ${key} ORDER BY created_on`.execute(
    test.db,
  );
  return rows.map((row) => row.data);
}

const ours = (lead: number, delaySeconds: number, priority?: number) =>
  priority === undefined
    ? sql`SELECT redial_dial_job_put(${lead}::bigint, ${delaySeconds}::float8)`.execute(test.db)
    : sql`SELECT redial_dial_job_put(${lead}::bigint, ${delaySeconds}::float8, ${priority}::int)`.execute(
        test.db,
      );
const pgBoss = async (lead: number, delaySeconds: number, priority?: number) => {
  const result = await boss.upsert(
    QUEUES.dial.name,
    { leadId: lead },
    { singletonKey: String(lead), startAfter: delaySeconds, ...(priority === undefined ? {} : { priority }) },
  );
  expect(result.updated + result.inserted).toBe(1);
};
const start = (lead: number) =>
  sql`UPDATE pgboss.job SET state = 'active', started_on = now()
      WHERE name = 'dial' AND singleton_key = ${String(lead)} AND state < 'active'`.execute(test.db);

describe(`pg-boss ${PG_BOSS_VERIFIED.version}, the version our job-table SQL is verified against`, () => {
  it("is the one installed, the one every package.json pins exactly, and its schema the one in the database", async () => {
    expect(installedPgBoss().version).toBe(PG_BOSS_VERIFIED.version);
    const pins = pinnedPgBoss();
    expect(Object.keys(pins).length).toBeGreaterThan(0);
    for (const [pkg, wanted] of Object.entries(pins)) expect(wanted, pkg).toBe(PG_BOSS_VERIFIED.version);
    const { rows } = await sql<{ version: number }>`SELECT version FROM pgboss.version`.execute(test.db);
    expect(Number(rows[0]?.version)).toBe(PG_BOSS_VERIFIED.schemaVersion);
  });

  it("redial_dial_job_put writes the dial job pg-boss's upsert writes: inserted, moved, then beside a running one", async () => {
    const [a, b] = [910_001, 910_002];
    await ours(a, 600);
    await pgBoss(b, 600);
    expect(await jobsOf("dial", String(a))).toEqual(await jobsOf("dial", String(b)));
    await ours(a, 30);
    await pgBoss(b, 30);
    expect(await jobsOf("dial", String(a))).toEqual(await jobsOf("dial", String(b)));
    await start(a);
    await start(b);
    await ours(a, 90);
    await pgBoss(b, 90);
    const jobs = await jobsOf("dial", String(a));
    expect(jobs).toHaveLength(2);
    expect(jobs).toEqual(await jobsOf("dial", String(b)));
    expect(jobs.map((job) => job.due_in)).toEqual([30, 90]);
    expect(await dataOf("dial", String(a))).toEqual([{ leadId: a }, { leadId: a }]);
  });

  it("redial_dial_job_put with a priority writes what pg-boss's upsert with that priority writes, inserted and moved", async () => {
    const [a, b] = [915_001, 915_002];
    await ours(a, 600, 1);
    await pgBoss(b, 600, 1);
    expect(await jobsOf("dial", String(a))).toEqual(await jobsOf("dial", String(b)));
    await ours(a, 30, 0);
    await pgBoss(b, 30, 0);
    const jobs = await jobsOf("dial", String(a));
    expect(jobs).toEqual(await jobsOf("dial", String(b)));
    expect(jobs.map((job) => job.priority)).toEqual([0]);
  });

  it("redial_dial_jobs_insert writes, in one statement, the dial jobs pg-boss's upsert writes for leads without one; refused whole when a lead has one", async () => {
    const ours = [940_001, 940_002];
    const theirs = [940_011, 940_012];
    await sql`SELECT redial_dial_jobs_insert(${ours}::bigint[], ${[600, 0]}::float8[], ${[1, 0]}::int[])`.execute(
      test.db,
    );
    await pgBoss(theirs[0] as number, 600, 1);
    await pgBoss(theirs[1] as number, 0, 0);
    for (const [i, lead] of ours.entries()) {
      expect(await jobsOf("dial", String(lead))).toEqual(await jobsOf("dial", String(theirs[i])));
      expect(await dataOf("dial", String(lead))).toEqual([{ leadId: lead }]);
    }
    await expect(
      sql`SELECT redial_dial_jobs_insert(${[940_003, 940_001]}::bigint[], ${[0, 0]}::float8[], ${[0, 0]}::int[])`.execute(
        test.db,
      ),
    ).rejects.toThrow(/1 of 2 dial jobs were not scheduled/);
    expect(await jobsOf("dial", "940003")).toEqual([]);
  });

  it("redial_job_send writes the convoso-sync job pg-boss's send writes", async () => {
    const payload = { leadId: 1, outcome: "SALE", dnc: false };
    await sql`SELECT redial_job_send('convoso-sync', ${JSON.stringify({ ...payload, leadId: 920_001 })}::jsonb)`.execute(
      test.db,
    );
    expect(await boss.send(QUEUES.convosoSync.name, { ...payload, leadId: 920_002 })).toBeTruthy();
    const { rows } = await sql<{ job: Record<string, unknown> }>`
      SELECT to_jsonb(j) - ARRAY['id', 'data', 'created_on', 'start_after', 'keep_until']
               || jsonb_build_object('retention', extract(epoch FROM j.keep_until - j.start_after),
                                     'data', j.data - 'leadId') AS job
      FROM pgboss.job j WHERE j.name = 'convoso-sync' AND (j.data ->> 'leadId')::bigint IN (920001, 920002)
      ORDER BY (j.data ->> 'leadId')::bigint`.execute(test.db);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.job).toEqual(rows[1]?.job);
  });

  it("redial_dial_job_delete removes the lead's queued job as findJobs + deleteJob do, and leaves a running one", async () => {
    const [a, b] = [930_001, 930_002];
    for (const lead of [a, b]) {
      await ours(lead, 60);
      await start(lead);
      await ours(lead, 120);
    }
    await sql`SELECT redial_dial_job_delete(${a}::bigint)`.execute(test.db);
    const queued = await boss.findJobs(QUEUES.dial.name, { key: String(b), queued: true });
    await boss.deleteJob(
      QUEUES.dial.name,
      queued.map((job) => job.id),
    );
    expect(await jobsOf("dial", String(a))).toEqual(await jobsOf("dial", String(b)));
    expect((await jobsOf("dial", String(a))).map((job) => job.state)).toEqual(["active"]);
  });

  it("a database whose pg-boss schema is another version is refused before anything is written", async () => {
    await sql`UPDATE pgboss.version SET version = version + 1`.execute(test.db);
    try {
      await expect(installJobTableWrites(boss)).rejects.toBeInstanceOf(PgBossSchemaMismatch);
    } finally {
      await sql`UPDATE pgboss.version SET version = version - 1`.execute(test.db);
    }
    await expect(installJobTableWrites(boss)).resolves.toBeUndefined();
  });
});
