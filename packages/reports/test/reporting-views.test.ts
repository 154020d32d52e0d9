import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { breakdownReport, type RangeRow, rangeReport, statisticsForDay, totalsReport } from "../src/index.ts";
import { campaignDay, seedCampaign, TZ } from "./campaign-fixture.ts";

/**
 * The reporting.* views (migration 0013) are the analysts' contract. The README's example queries
 * are read from the README itself, run as the read-only role, and must agree with the reports.
 */
const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const GUIDE_FROM = "2025-12-22";
const GUIDE_TO = "2026-01-07";

let t: TestDatabase;
let today: string;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
  today = (await sql<{ today: string }>`SELECT today::text AS today FROM reporting.campaign`.execute(t.db))
    .rows[0]?.today as string;
  await seedToday(t, today);
});
afterAll(async () => t.drop());

/** A lead created now, with today's calls: one ended (a transfer at 9 s, not answered), one in progress. */
async function seedToday(t: TestDatabase, day: string): Promise<void> {
  const now = new Date();
  const { id } = await t.db
    .insertInto("leads")
    .values({ phone: "+13055550777", state: "GA", created_at: now, last_outcome: "TRANSFERRED" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const call = { lead_id: id, campaign_day: day, dialed_at: now };
  await t.db
    .insertInto("call_attempts")
    .values([
      {
        ...call,
        attempt_number: 1,
        state: "ended",
        outcome: "TRANSFERRED",
        answered: false,
        transferred: true,
        price: 0.11,
      },
      { ...call, attempt_number: 2, state: "in_progress", bland_call_id: "call-today-2" },
    ])
    .execute();
}

/** The README's `sql` blocks that start with `-- example: <name>`, by name. */
function readmeExamples(): Map<string, string> {
  const examples = new Map<string, string>();
  for (const [, block = ""] of README.matchAll(/```sql\n([\s\S]*?)```/g)) {
    const name = /^-- example: (\S+)/.exec(block)?.[1];
    if (name) examples.set(name, block);
  }
  return examples;
}

/** Runs an example as redial_reporting, the role analysts log in under. */
async function runAsAnalyst(name: string): Promise<Record<string, unknown>[]> {
  const query = readmeExamples().get(name);
  if (!query) throw new Error(`README has no example named "${name}"`);
  return t.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL ROLE redial_reporting`.execute(trx);
    return (await sql.raw<Record<string, unknown>>(query).execute(trx)).rows;
  });
}

/** A `date` column as pg returns it (a local-midnight Date) as 'YYYY-MM-DD'. */
function dayOf(value: unknown): string {
  const d = value as Date;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function expectRate(actual: unknown, expected: number | null, digits: number, what: string): void {
  if (expected === null) expect(actual, what).toBeNull();
  else expect(Number(actual), what).toBeCloseTo(expected, digits);
}

const CHECKS: Record<string, () => Promise<void>> = {
  meeting: async () => {
    const [row] = await runAsAnalyst("meeting");
    const b = await breakdownReport(t.db, { from: GUIDE_FROM, to: today, timezone: TZ, today });
    expect(row).toEqual(Object.fromEntries(Object.keys(row ?? {}).map((k) => [k, b[k as keyof typeof b]])));
    expect(row?.leads_in_period).toBe(13); // the fixture's L0–L11, and today's lead
  },
  standing: async () => {
    const rows = await runAsAnalyst("standing");
    const totals = await totalsReport(t.db, { timezone: TZ, today });
    const byStanding = Object.fromEntries(rows.map((r) => [r.standing, r.leads]));
    expect(byStanding).toEqual({
      completed_sale: totals.completed_sale,
      completed_dnc: totals.completed_dnc,
      still_redialing: totals.still_redialing,
      paused: totals.paused,
    });
  },
  days: async () => {
    const rows = await runAsAnalyst("days");
    const range = await rangeReport(t.db, { from: GUIDE_FROM, to: GUIDE_TO, timezone: TZ, today });
    // The view's days start at the first day with a lead or a call (D0); the report's before it are empty.
    const first = dayOf(rows[0]?.day);
    expect(first).toBe("2026-01-04");
    const before = range.days.filter((d) => d.day < first);
    expect(before.every((d) => d.calls_placed === 0 && d.leads_created === 0 && d.sold_leads === 0)).toBe(
      true,
    );
    const days = range.days.filter((d) => d.day >= first);
    expect(rows.map((r) => dayOf(r.day))).toEqual(days.map((d) => d.day));
    for (const [i, row] of rows.entries()) {
      const day = days[i] as RangeRow;
      const counts = ["calls_placed", "redials", "reached", "transfers", "sold_leads", "sale_calls"] as const;
      expect(row, day.day).toMatchObject(Object.fromEntries(counts.map((k) => [k, day[k]])));
      expectRate(row.connectivity_rate, day.connectivity_rate, 3, `${day.day} connectivity_rate`);
      expectRate(row.transfer_rate, day.transfer_rate, 3, `${day.day} transfer_rate`);
      expectRate(row.cost_per_sale, day.cost_per_sale, 2, `${day.day} cost_per_sale`);
    }
    expect(range.total.sold_leads).toBe(2);
  },
  today: async () => {
    const [row] = await runAsAnalyst("today");
    const stats = await statisticsForDay(t.db, { day: today, timezone: TZ });
    expect(dayOf(row?.day)).toBe(stats.date);
    for (const [key, value] of Object.entries(row ?? {})) {
      if (key === "day") continue;
      const expected = stats[key as keyof typeof stats] as number | null;
      if (key.endsWith("_rate") || key.startsWith("cost")) expectRate(value, expected, 8, key);
      else expect(value, key).toBe(expected);
    }
    expect(stats).toMatchObject({ calls_placed: 2, calls_in_progress: 1, reached: 1, connectivity_rate: 1 });
  },
  cohort: async () => {
    const rows = await runAsAnalyst("cohort");
    const first = dayOf(rows[0]?.first_call_day);
    const range = await rangeReport(t.db, { from: first, to: today, timezone: TZ, today });
    const firstCalls = range.days.filter((d) => d.first_calls > 0).map((d) => [d.day, d.first_calls]);
    expect(rows.map((r) => [dayOf(r.first_call_day), r.leads])).toEqual(firstCalls);
    for (const r of rows) {
      const standings = Number(r.completed_sale) + Number(r.completed_dnc) + Number(r.still_redialing);
      expect(standings + Number(r.paused), dayOf(r.first_call_day)).toBe(r.leads);
    }
    const cost = rows.reduce((sum, r) => sum + Number(r.cost), 0);
    expect(cost).toBeCloseTo(range.total.cost, 8);
  },
  "cost-per-sale-by-state": async () => {
    const rows = await runAsAnalyst("cost-per-sale-by-state");
    const range = await rangeReport(t.db, { from: GUIDE_FROM, to: GUIDE_TO, timezone: TZ, today });
    const sum = (key: string) => rows.reduce((total, r) => total + Number(r[key]), 0);
    expect(sum("cost")).toBeCloseTo(range.total.cost, 8);
    expect(sum("sold_leads")).toBe(range.total.sold_leads);
    const tx = rows.find((r) => r.state === "TX");
    // TX: L4's calls (0.05 + 0.4 + 0.3) and L11's (0.6), L11 sold by hand on D2.
    expect(tx).toMatchObject({ cost: 1.35, sold_leads: 1, cost_per_sale: 1.35 });
  },
};

describe("the README's reporting examples, run as redial_reporting, agree with the reports", () => {
  it("every example in the README has a check here, and every check an example", () => {
    expect([...readmeExamples().keys()].sort()).toEqual(Object.keys(CHECKS).sort());
  });

  it.each(Object.keys(CHECKS))("%s", async (name) => {
    await CHECKS[name]?.();
  });
});

describe("the reporting schema is documented and read-only", () => {
  it("every view and every column has a COMMENT", async () => {
    const { rows } = await sql<{ relation: string; column: string | null }>`
      SELECT c.relname AS relation, NULL AS column FROM pg_class c
      WHERE c.relnamespace = 'reporting'::regnamespace AND obj_description(c.oid, 'pg_class') IS NULL
      UNION ALL
      SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relnamespace = 'reporting'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
        AND col_description(c.oid, a.attnum) IS NULL`.execute(t.db);
    expect(rows).toEqual([]);
  });

  it("README's table of views lists each view's columns, in order", async () => {
    const { rows } = await sql<{ view: string; columns: string[] }>`
      SELECT c.relname AS view, array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relnamespace = 'reporting'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      GROUP BY c.relname ORDER BY c.relname`.execute(t.db);
    expect(rows.map((r) => r.view)).toEqual(["calls", "campaign", "days", "leads"]);
    for (const { view, columns } of rows) {
      const line = README.split("\n").find((l) => l.startsWith(`| \`reporting.${view}\` |`)) ?? "";
      const documented = [...(line.split("|")[3] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
      expect(documented, view).toEqual(columns);
    }
  });

  it("redial_reporting reads every reporting view and no table or view outside it", async () => {
    const { rows } = await sql<{ relation: string; readable: boolean }>`
      SELECT n.nspname || '.' || c.relname AS relation, has_table_privilege('redial_reporting', c.oid, 'SELECT') AS readable
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'pgboss', 'reporting') AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
      ORDER BY 1`.execute(t.db);
    const readable = rows.filter((r) => r.readable).map((r) => r.relation);
    expect(readable).toEqual(["reporting.calls", "reporting.campaign", "reporting.days", "reporting.leads"]);
    expect(rows.some((r) => r.relation === "public.leads")).toBe(true);
    expect(rows.some((r) => r.relation.startsWith("pgboss."))).toBe(true);
  });

  it("redial_reporting is refused a table and any write, with PostgreSQL's permission error", async () => {
    const asAnalyst = (statement: string) =>
      t.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL ROLE redial_reporting`.execute(trx);
        await sql.raw(statement).execute(trx);
      });
    await expect(asAnalyst("SELECT count(*) FROM public.leads")).rejects.toThrow(/permission denied/);
    await expect(asAnalyst("SELECT count(*) FROM pgboss.job")).rejects.toThrow(/permission denied/);
    await expect(asAnalyst("UPDATE reporting.calls SET outcome = 'SALE'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(asAnalyst("DELETE FROM reporting.calls")).rejects.toThrow(/permission denied/);
    await expect(asAnalyst("CREATE VIEW reporting.mine AS SELECT 1")).rejects.toThrow(/permission denied/);
    await expect(asAnalyst("SELECT report_rollups_compact()")).rejects.toThrow(/permission denied/);
  });
});

describe("the views' days", () => {
  it("a call's campaign day and a lead's created day are the campaign timezone's", async () => {
    const { rows } = await sql<{ created_day: string }>`
      SELECT created_day::text FROM reporting.leads WHERE created_at = '2026-01-06T04:30:00Z'`.execute(t.db);
    expect(rows[0]?.created_day).toBe(campaignDay("2026-01-06T04:30:00Z")); // 23:30 Eastern on Jan 5
  });
});
