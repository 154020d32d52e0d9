import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { loadConvosoStatuses } from "@redial/services";
import { type RunningSimulator, startSimulator } from "@redial/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convosoStatusesCommand } from "../src/commands/convoso-command.ts";

let database: TestDatabase;
let sim: RunningSimulator;
beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startSimulator({});
});
afterAll(async () => {
  await sim.close();
  await database.drop();
});

function io(env: Record<string, string | undefined>) {
  const out: string[] = [];
  return { out, io: { env, write: (line: string) => out.push(line) } };
}

const treatments = (rows: Array<{ code: string; treatment: string }>) =>
  Object.fromEntries(rows.map((r) => [r.code, r.treatment]));

describe("redial convoso statuses", () => {
  it("prints the production account's 72 codes and how each is treated, and caches the table", async () => {
    const run = io({
      CONVOSO_API_URL: sim.url,
      CONVOSO_AUTH_TOKEN: sim.state.options.convosoToken,
      DATABASE_URL: database.url,
    });
    const rows = await convosoStatusesCommand({}, run.io);
    expect(rows).toHaveLength(72);
    expect(treatments(rows)).toMatchObject({
      SALE: "sale",
      DNC: "dnc",
      DNCA: "dnc",
      DNCL: "dnc",
      DNCNFD: "bad_number",
      WRONG: "bad_number",
      BPN: "bad_number",
      DC: "bad_number",
      NI: "other",
      CB: "other",
      ACA: "other",
    });
    expect(run.out[0]).toMatch(
      /^Convoso statuses from Convoso \/status\/search \(cached table refreshed\): 72 codes/,
    );
    expect(run.out.find((line) => line.startsWith("DNCNFD"))).toMatch(
      /bad_number .*DNCNFD is a bad-number status/,
    );
    expect((await loadConvosoStatuses(database.db)).statuses).toHaveLength(72);
  });

  it("an account that sells with S and SOLD: both are a sale by its flags; CONVOSO_STATUS_MAP wins", async () => {
    sim.state.config.convoso.account = "sold";
    try {
      const run = io({
        CONVOSO_API_URL: sim.url,
        CONVOSO_AUTH_TOKEN: sim.state.options.convosoToken,
        CONVOSO_STATUS_MAP: "SALE=S,DNCLCC:other,XSALE:sale",
      });
      const rows = await convosoStatusesCommand({ json: true }, run.io);
      expect(treatments(rows)).toMatchObject({ S: "sale", SOLD: "sale", DNCLCC: "other", XSALE: "sale" });
      expect(rows.find((r) => r.code === "SALE")).toBeUndefined();
      expect(JSON.parse(run.out.join("\n")).statuses).toHaveLength(74);
    } finally {
      sim.state.config.convoso.account = "production";
    }
  });

  it("without a Convoso token it shows the cached copy", async () => {
    const run = io({ DATABASE_URL: database.url });
    const rows = await convosoStatusesCommand({}, run.io);
    expect(rows).toHaveLength(72);
    expect(run.out[0]).toMatch(/from the cached table \(fetched /);
  });
});
