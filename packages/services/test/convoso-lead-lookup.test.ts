import type { TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyConvosoStatus,
  ConvosoLeadAmbiguous,
  ConvosoLeadMismatch,
  findLeadForConvoso,
  intakeLead,
  type RedialContext,
  type Runtime,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

const ctx = (): RedialContext => ({ ...runtime.ctx, now: () => new Date("2026-03-10T15:00:00Z") });
const bindings = (leadId: number) =>
  runtime.ctx.db
    .selectFrom("convoso_lead_ids")
    .select(["convoso_lead_id", "list_id"])
    .where("lead_id", "=", leadId)
    .orderBy("convoso_lead_id")
    .execute();

describe("Convoso lead ids: one row per (id, list), lookups never guess", () => {
  it("a phone in two Convoso lists keeps both Convoso lead ids, each with its list", async () => {
    const first = await intakeLead(ctx(), { phone: "7135550401", convoso_lead_id: "501", list_id: "10" });
    const again = await intakeLead(ctx(), { phone: "7135550401", convoso_lead_id: "502", list_id: "20" });
    expect(again.lead.id).toBe(first.lead.id);
    expect(await bindings(first.lead.id)).toEqual([
      { convoso_lead_id: "501", list_id: "10" },
      { convoso_lead_id: "502", list_id: "20" },
    ]);
    expect((await findLeadForConvoso(ctx(), { convosoLeadId: "502" }))?.id).toBe(first.lead.id);
  });

  it("an id another lead already carries in that list is not recorded again: the lead is admitted with a warning", async () => {
    const holder = await intakeLead(ctx(), { phone: "7135550402", convoso_lead_id: "600", list_id: "10" });
    const other = await intakeLead(ctx(), { phone: "7135550403", convoso_lead_id: "600", list_id: "10" });
    expect(other.created).toBe(true);
    expect(other.lead.convosoLeadId).toBeNull();
    expect(other.warnings).toEqual([
      {
        field: "convoso_lead_id",
        message: expect.stringMatching(`already belongs to our lead ${holder.lead.id}`),
      },
    ]);
    expect(await bindings(other.lead.id)).toEqual([]);
  });

  it("a status by a Convoso id that several of our leads carry is refused (409 code), and no lead is touched", async () => {
    // Two leads with one id in different lists (unique per list), or bound before this table.
    const a = await intakeLead(ctx(), {
      phone: "7135550404",
      convoso_lead_id: "null-like-700",
      list_id: "1",
    });
    const b = await intakeLead(ctx(), {
      phone: "7135550405",
      convoso_lead_id: "null-like-700",
      list_id: "2",
    });
    await expect(
      applyConvosoStatus(ctx(), { convosoLeadId: "null-like-700", status: "SALE" }),
    ).rejects.toThrow(ConvosoLeadAmbiguous);
    for (const lead of [a.lead, b.lead]) {
      const row = await runtime.ctx.db
        .selectFrom("leads")
        .select("status")
        .where("id", "=", lead.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe("active");
    }
    // With its list the id names one lead.
    expect((await findLeadForConvoso(ctx(), { convosoLeadId: "null-like-700", listId: "2" }))?.id).toBe(
      b.lead.id,
    );
  });

  it("a phone and an id that name different leads are refused as a mismatch", async () => {
    const a = await intakeLead(ctx(), { phone: "7135550406", convoso_lead_id: "800" });
    await intakeLead(ctx(), { phone: "7135550407" });
    await expect(findLeadForConvoso(ctx(), { phone: "7135550407", convosoLeadId: "800" })).rejects.toThrow(
      ConvosoLeadMismatch,
    );
    await expect(findLeadForConvoso(ctx(), { phone: "7135550499", convosoLeadId: "800" })).rejects.toThrow(
      ConvosoLeadMismatch,
    );
    expect((await findLeadForConvoso(ctx(), { phone: "7135550406", convosoLeadId: "800" }))?.id).toBe(
      a.lead.id,
    );
  });

  it("an id nobody carries finds nothing", async () => {
    expect(await findLeadForConvoso(ctx(), { convosoLeadId: "99999" })).toBeUndefined();
  });
});
