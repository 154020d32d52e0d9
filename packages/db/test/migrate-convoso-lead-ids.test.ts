import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db, findLeadIdsByConvosoLeadId } from "../src/index.ts";
import { MIGRATIONS_DIR, migrate } from "../src/migrate.ts";
import { adminQuery, withDatabase } from "../src/testing/test-database.ts";

const serverUrl = inject("testServerUrl");
const name = `redial_convoso_ids_${process.pid}`;
let db: Db | undefined;

afterAll(async () => {
  await db?.destroy();
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

function migrationsBefore(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), "redial-migrations-"));
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.slice(0, 4) < version))
    cpSync(join(MIGRATIONS_DIR, file), join(dir, file));
  return dir;
}

describe("migration 0012 (Convoso lead ids)", () => {
  it("moves each lead's Convoso id into convoso_lead_ids and drops the 'null' / '[object Object]' a coercion stored", async () => {
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    await migrate(url, migrationsBefore("0012"));
    db = createDb(url, { max: 2 });
    const leads = await db
      .insertInto("leads")
      .values([
        { phone: "+12125550901", convoso_lead_id: "null", list_ids: ["null"] },
        { phone: "+12125550902", convoso_lead_id: "null", list_ids: [] },
        { phone: "+12125550903", convoso_lead_id: "[object Object]", list_ids: ["[object Object]", "7"] },
        { phone: "+12125550904", convoso_lead_id: "4411", list_ids: ["7"] },
        { phone: "+12125550905", convoso_lead_id: "4411", list_ids: ["7", "8"] },
      ])
      .returning("id")
      .execute();
    const [a, b, c, d, e] = leads.map((lead) => lead.id);
    await migrate(url);

    const rows = await db
      .selectFrom("leads")
      .select(["id", "convoso_lead_id", "list_ids"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: a, convoso_lead_id: null, list_ids: [] },
      { id: b, convoso_lead_id: null, list_ids: [] },
      { id: c, convoso_lead_id: null, list_ids: ["7"] },
      { id: d, convoso_lead_id: "4411", list_ids: ["7"] },
      { id: e, convoso_lead_id: "4411", list_ids: ["7", "8"] },
    ]);
    // The junk is nobody's id; the id two leads carried stays visible to both: lookups refuse it.
    expect(await findLeadIdsByConvosoLeadId(db, "null")).toEqual([]);
    expect(await findLeadIdsByConvosoLeadId(db, "4411")).toEqual([d, e]);
    expect(await findLeadIdsByConvosoLeadId(db, "4411", "7")).toEqual([d, e]);
  });
});
