import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heapSizeChosen } from "../src/commands/heap-flags.ts";
import { mapColumns, parseMapOptions } from "../src/commands/lead-csv-columns.ts";
import { leadsImportCommand } from "../src/commands/leads-import-command.ts";

const MAIN = join(import.meta.dirname, "../src/main.ts");
let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "redial-import-"));
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

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
      isTTY: false,
    },
  };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function query<T>(text: string): Promise<T[]> {
  const { rows } = await sql<T>`${sql.raw(text)}`.execute(database.db);
  return rows;
}

const errorsOf = (path: string) => parse(readFileSync(path), { columns: true }) as Record<string, string>[];

// A CRM's export as Excel saves it: a BOM, CRLF line ends, quoted commas, every phone format, and
// its own column names; the consent columns of a lead-generation form.
const EXPORT = [
  "Phone Number,First Name,Last Name,Email,State,Postal Code,Time Zone,Lead ID,List ID,Consent Type,Consent Captured At,Consent Source,Consent IP,Consent Text Version,TrustedForm Cert URL,Notes",
  '(212) 555-0101,"Smith, Jr.",Ann,ann@example.com,NY,10001,America/New_York,9001,77,written,2026-03-01T09:00:00-05:00,https://form.example/a,203.0.113.5,v3,https://cert.trustedform.com/abc,"likes calls, mornings"',
  "+1 305 555 0102,Bob,Lee,,Florida,33101,,9002,77,,,,,,,",
  "305.555.0103,Cy,Ng,cy@example,fl,2134,,,,express,2026-03-02 10:00:00,,,,,",
  "1-404-555-0104,Di,Ox,,GA,30301,,,,,,,,,,",
  "555-0105,Ed,Bad,,NY,,,,,,,,,,,",
].join("\r\n");

describe("redial leads import FILE.csv", () => {
  it("reads a CRM's export (BOM, CRLF, quoted commas, phone formats, its own column names), writes the consent columns into the lead's history, and reports every row; the bad row in the last batch is in the errors file", async () => {
    const path = file("crm.csv", `\uFEFF${EXPORT}\r\n`);
    const errors = join(dir, "crm-errors.csv");
    const run = io();
    const summary = await leadsImportCommand(
      path,
      { batchSize: "2", errors, consentZone: "America/New_York" },
      run.io,
    );
    expect(summary).toMatchObject({
      rows: 5,
      created: 4,
      updated: 0,
      duplicate: 0,
      rejected: 1,
      notWritten: 0,
      ignoredColumns: ["Notes"],
      errorsFile: errors,
    });
    expect(run.out[0]).toBe("5 rows: 4 created, 0 updated, 0 duplicate, 1 rejected");
    expect(run.out).toContain('columns not imported: Notes (name one with --map "column=field")');

    const leads = await query<{
      phone: string;
      first_name: string;
      state: string;
      zip: string;
      list_ids: string[];
    }>("SELECT phone, first_name, state, zip, list_ids FROM leads ORDER BY phone");
    expect(leads).toEqual([
      { phone: "+12125550101", first_name: "Smith, Jr.", state: "NY", zip: "10001", list_ids: ["77"] },
      { phone: "+13055550102", first_name: "Bob", state: "FL", zip: "33101", list_ids: ["77"] },
      { phone: "+13055550103", first_name: "Cy", state: "FL", zip: "02134", list_ids: [] },
      { phone: "+14045550104", first_name: "Di", state: "GA", zip: "30301", list_ids: [] },
    ]);
    const consents = await query<Record<string, unknown>>(
      `SELECT l.phone, c.type, c.captured_at, c.source, c.ip, c.text_version, c.certificate_id, c.recorded_by
       FROM lead_consents c JOIN leads l ON l.id = c.lead_id ORDER BY l.phone`,
    );
    expect(consents).toEqual([
      {
        phone: "+12125550101",
        type: "written",
        captured_at: new Date("2026-03-01T14:00:00Z"),
        source: "https://form.example/a",
        ip: "203.0.113.5",
        text_version: "v3",
        certificate_id: "https://cert.trustedform.com/abc",
        recorded_by: "csv import crm.csv",
      },
      {
        // Written without an offset: read in --consent-zone (10:00 Eastern).
        phone: "+13055550103",
        type: "express",
        captured_at: new Date("2026-03-02T15:00:00Z"),
        source: null,
        ip: null,
        text_version: null,
        certificate_id: null,
        recorded_by: "csv import crm.csv",
      },
    ]);
    const current = await query<{ phone: string; type: string | null }>(
      "SELECT phone, consent->>'type' AS type FROM leads ORDER BY phone",
    );
    expect(current.map((r) => r.type)).toEqual(["written", null, "express", null]);
    const jobs = await query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial'");
    expect(jobs[0]?.n).toBe(4);

    // Row 6 (the header is row 1): named by the file's own column; warnings of admitted rows too.
    const rows = errorsOf(errors);
    expect(rows.filter((r) => r.status === "rejected")).toEqual([
      {
        row: "6",
        status: "rejected",
        column: "Phone Number",
        code: "invalid_phone",
        reason: expect.stringContaining('"555-0105" is not a valid US phone number'),
      },
    ]);
    expect(rows.filter((r) => r.status === "warning").map((r) => [r.row, r.column])).toEqual([
      ["4", "Postal Code"],
      ["4", "Email"],
    ]);
  });

  it("importing the same file again writes nothing: every row a duplicate, no second consent, no second job; a new list id is an update", async () => {
    const path = file("crm-again.csv", `\uFEFF${EXPORT}\r\n`);
    const count = async () =>
      (
        await query<{ leads: number; consents: number; jobs: number }>(
          `SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM lead_consents) AS consents,
                  (SELECT count(*)::int FROM pgboss.job WHERE name = 'dial') AS jobs`,
        )
      )[0];
    const before = await count();
    const again = await leadsImportCommand(
      path,
      { batchSize: "3", consentZone: "America/New_York" },
      io().io,
    );
    expect(again).toMatchObject({ rows: 5, created: 0, updated: 0, duplicate: 4, rejected: 1 });
    expect(await count()).toEqual(before);

    const moved = file("crm-list-88.csv", "phone,list_id\n2125550101,88\n2125550101,88\n");
    const summary = await leadsImportCommand(moved, {}, io().io);
    expect(summary).toMatchObject({
      rows: 2,
      created: 0,
      updated: 1,
      duplicate: 1,
      rejected: 0,
      errorsFile: null,
    });
  });

  it("--map reads a column the aliases do not know; a phone on the DNC list is rejected by its phone column", async () => {
    await sql`INSERT INTO dnc_phones (phone, reason, source) VALUES ('+16175550106', 'test', 'api')`.execute(
      database.db,
    );
    const path = file("mapped.csv", "Cell,Given,Opt In\n617-555-0106,Fay,x\n617-555-0107,Gus,x\n");
    const errors = join(dir, "mapped-errors.csv");
    const summary = await leadsImportCommand(
      path,
      { map: ["Cell=phone", "given=first_name", "Opt In=ignore"], errors },
      io().io,
    );
    expect(summary).toMatchObject({ rows: 2, created: 1, rejected: 1, ignoredColumns: ["Opt In"] });
    expect(errorsOf(errors)).toEqual([
      { row: "2", status: "rejected", column: "Cell", code: "phone_on_dnc", reason: expect.any(String) },
    ]);
    const fay = await query<{ first_name: string }>(
      "SELECT first_name FROM leads WHERE phone = '+16175550107'",
    );
    expect(fay).toEqual([{ first_name: "Gus" }]);
  });

  it("--dry-run reads every row and writes nothing, without a database", async () => {
    const path = file("dry.csv", "phone,state\n2065550108,WA\nnope,WA\n");
    const before = await query<{ n: number }>("SELECT count(*)::int AS n FROM leads");
    const run = io();
    const summary = await leadsImportCommand(path, { dryRun: true }, { ...run.io, env: {} });
    expect(summary).toMatchObject({ rows: 2, valid: 1, rejected: 1, created: 0 });
    expect(run.out[0]).toBe("dry run: 2 rows read, 1 valid, 1 rejected (nothing written)");
    expect(await query<{ n: number }>("SELECT count(*)::int AS n FROM leads")).toEqual(before);
  });

  it("a heap size is chosen when Node's flags or NODE_OPTIONS name --max-old-space-size", () => {
    expect(heapSizeChosen(["--experimental-strip-types"], undefined)).toBe(false);
    expect(heapSizeChosen(["--max-old-space-size=512"], undefined)).toBe(true);
    expect(heapSizeChosen([], "--enable-source-maps --max_old_space_size=512")).toBe(true);
    expect(heapSizeChosen([], "--max-semi-space-size=32")).toBe(false);
  });

  it("columns are matched by their letters in any case; a file without a phone column, a --map to no field, two columns read as one field are refused before any row", () => {
    expect(mapColumns(["PHONE_NUMBER", "zip code", "E-mail"]).columnOf).toEqual({
      phone: "PHONE_NUMBER",
      zip: "zip code",
      email: "E-mail",
    });
    expect(() => mapColumns(["name", "city"])).toThrow(/No phone column/);
    expect(() => parseMapOptions(["Cell=telephone"])).toThrow(/"telephone" is not a field/);
    expect(() => mapColumns(["phone", "Phone Number"])).toThrow(
      /Columns "phone" and "Phone Number" both read as phone: keep one with --map "Phone Number=ignore"/,
    );
    expect(mapColumns(["phone", "Phone Number"], parseMapOptions(["Phone Number=ignore"])).ignored).toEqual([
      "Phone Number",
    ]);
    expect(() => mapColumns(["phone"], parseMapOptions(["Cell=phone"]))).toThrow(
      /--map names a column "cell"/,
    );
  });

  // Two processes started: minutes on a loaded machine, so a longer timeout (nothing timed).
  it("the command line imports in a child Node with a capped heap (a heap size in NODE_OPTIONS stands) and prints the summary once; a bad --batch-size exits 1 with a message", {
    timeout: 180_000,
  }, async () => {
    const run = promisify(execFile);
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: database.url };
    const path = file("cli.csv", "phone\n7185550109\n");
    const { stdout, stderr } = await run(
      process.execPath,
      ["--experimental-strip-types", MAIN, "leads", "import", path],
      {
        env,
      },
    );
    expect(stderr).toContain(
      "importing in a child Node with --max-old-space-size=192 --max-semi-space-size=32",
    );
    expect(stdout.match(/1 rows: /g)).toEqual(["1 rows: "]);
    expect(stdout).toContain("1 rows: 1 created, 0 updated, 0 duplicate, 0 rejected");
    const chosen = await run(
      process.execPath,
      ["--experimental-strip-types", MAIN, "leads", "import", path],
      {
        env: { ...env, NODE_OPTIONS: "--max-old-space-size=300" },
      },
    );
    expect(chosen.stderr).not.toContain("child Node");
    expect(chosen.stdout).toContain("1 rows: 0 created, 0 updated, 1 duplicate, 0 rejected");
    await expect(
      run(
        process.execPath,
        ["--experimental-strip-types", MAIN, "leads", "import", path, "--batch-size", "0"],
        {
          env,
        },
      ),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--batch-size must be a whole number"),
    });
  });
});
