import type { Db } from "@redial/db";

/**
 * One small campaign in America/New_York over 2026-01-05 (D1) … 2026-01-07 (D3), with a lead before
 * the period (L0) and one after it (L9). Every expected number in the tests is derived from this
 * list by hand; the comments give each lead's story. The cases the glossary must get right: a lead
 * sold by hand the day after its transfer (L11), a transfer nobody answered (L11's call), a sold
 * lead whose phone was put on the DNC list later (L2), a paused lead on the DNC list (L10), a stale
 * daily-max flag (L7), a call still dialing (L8).
 */
export const TZ = "America/New_York";
export const D0 = "2026-01-04";
export const D1 = "2026-01-05";
export const D2 = "2026-01-06";
export const D3 = "2026-01-07";
export const D4 = "2026-01-08";

type Status = "active" | "daily_max_reached" | "paused" | "completed";

interface LeadSpec {
  createdAt: string;
  /** The US state the lead gave (cost per sale by state); none when omitted. */
  state?: string;
  status: Status;
  finalOutcome?: "SALE" | "DNC";
  /** When it got its final outcome (the day it was sold or DNC'd). */
  completedAt?: string;
  lastOutcome?: string;
}

interface CallSpec {
  at: string;
  state?: "dialing" | "in_progress" | "ended" | "not_placed";
  origin?: "dialer" | "backfill";
  outcome?: string;
  answered?: boolean;
  transferred?: boolean;
  price?: number;
}

/** The campaign-timezone date of an instant, as the dial loop stores it in campaign_day. */
export function campaignDay(iso: string, timezone = TZ): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(new Date(iso));
}

let phoneCounter = 0;

async function lead(db: Db, spec: LeadSpec, calls: CallSpec[] = []): Promise<number> {
  phoneCounter += 1;
  const { id } = await db
    .insertInto("leads")
    .values({
      phone: `+1305555${String(phoneCounter).padStart(4, "0")}`,
      state: spec.state ?? null,
      status: spec.status,
      final_outcome: spec.finalOutcome ?? null,
      last_outcome: spec.lastOutcome ?? null,
      created_at: spec.createdAt,
      completed_at: spec.completedAt ?? null,
      attempts_total: calls.length,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [i, call] of calls.entries()) await attempt(db, id, i + 1, call);
  return id;
}

async function attempt(db: Db, leadId: number, n: number, c: CallSpec): Promise<void> {
  const state = c.state ?? "ended";
  const ended = state === "ended";
  await db
    .insertInto("call_attempts")
    .values({
      lead_id: leadId,
      attempt_number: n,
      campaign_day: campaignDay(c.at),
      dialed_at: c.at,
      state,
      origin: c.origin ?? "dialer",
      outcome: ended ? (c.outcome ?? "NO_ANSWER") : null,
      answered: ended ? (c.answered ?? false) : null,
      transferred: ended ? (c.transferred ?? false) : null,
      price: ended ? (c.price ?? 0) : null,
    })
    .execute();
}

const sale = { outcome: "SALE", answered: true, transferred: true };
const transfer = { outcome: "TRANSFERRED", answered: true, transferred: true };

export async function seedCampaign(db: Db): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  // L0: created the day before the period; its D1 call is a redial.
  ids.L0 = await lead(db, { createdAt: "2026-01-04T15:00:00Z", status: "active", lastOutcome: "NO_ANSWER" }, [
    { at: "2026-01-04T16:00:00Z", outcome: "VOICEMAIL", price: 0.07 },
    { at: "2026-01-05T16:00:00Z", outcome: "NO_ANSWER", price: 0.01 },
  ]);
  // L1: transferred on D2, not sold yet: still redialing.
  ids.L1 = await lead(
    db,
    { createdAt: "2026-01-05T14:00:00Z", state: "FL", status: "active", lastOutcome: "TRANSFERRED" },
    [
      { at: "2026-01-05T16:10:00Z", outcome: "NO_ANSWER", price: 0.1 },
      { at: "2026-01-05T18:00:00Z", outcome: "VOICEMAIL", price: 0.12 },
      { at: "2026-01-06T17:00:00Z", ...transfer, price: 0.5 },
    ],
  );
  // L2: sold on its first call (D1); a week later a closer put its phone on our DNC list.
  ids.L2 = await lead(
    db,
    {
      createdAt: "2026-01-05T15:00:00Z",
      state: "FL",
      status: "completed",
      finalOutcome: "SALE",
      completedAt: "2026-01-05T16:21:00Z",
      lastOutcome: "SALE",
    },
    [{ at: "2026-01-05T16:20:00Z", ...sale, price: 1 }],
  );
  // L3: created 23:30 Eastern on D1 (04:30 UTC on D2); a not_placed dial, then DNC.
  ids.L3 = await lead(
    db,
    {
      createdAt: "2026-01-06T04:30:00Z",
      status: "completed",
      finalOutcome: "DNC",
      completedAt: "2026-01-06T16:06:00Z",
      lastOutcome: "DNC",
    },
    [
      { at: "2026-01-06T16:00:00Z", state: "not_placed" },
      { at: "2026-01-06T16:05:00Z", outcome: "DNC", answered: true, price: 0.2 },
    ],
  );
  // L4: a backfilled BUSY on D2, transferred then CALLBACK on D3; reached its daily max today (D3).
  ids.L4 = await lead(
    db,
    { createdAt: "2026-01-06T16:00:00Z", state: "TX", status: "daily_max_reached", lastOutcome: "CALLBACK" },
    [
      { at: "2026-01-06T16:30:00Z", origin: "backfill", outcome: "BUSY", price: 0.05 },
      { at: "2026-01-07T16:00:00Z", ...transfer, price: 0.4 },
      { at: "2026-01-07T17:00:00Z", outcome: "CALLBACK", answered: true, price: 0.3 },
    ],
  );
  // L5: never called.
  ids.L5 = await lead(db, { createdAt: "2026-01-06T17:00:00Z", status: "active" });
  // L6: paused by an operator after a NO_ANSWER on D3.
  ids.L6 = await lead(db, { createdAt: "2026-01-07T15:00:00Z", status: "paused", lastOutcome: "NO_ANSWER" }, [
    { at: "2026-01-07T15:30:00Z", outcome: "NO_ANSWER", price: 0.02 },
  ]);
  // L7: created D1, first called D2; its daily_max_reached flag is stale (no call today, D3).
  ids.L7 = await lead(
    db,
    { createdAt: "2026-01-05T16:00:00Z", status: "daily_max_reached", lastOutcome: "VOICEMAIL" },
    [{ at: "2026-01-06T18:00:00Z", outcome: "VOICEMAIL", price: 0.03 }],
  );
  // L8: created 23:30 Eastern on D3 (04:30 UTC on D4); one call still dialing.
  ids.L8 = await lead(db, { createdAt: "2026-01-08T04:30:00Z", status: "active" }, [
    { at: "2026-01-08T04:35:00Z", state: "dialing" },
  ]);
  // L9: created 00:30 Eastern on D4: after the period.
  ids.L9 = await lead(db, { createdAt: "2026-01-08T05:30:00Z", status: "active" });
  // L10: its phone is on our DNC list (added by a closer); paused; NOT_INTERESTED on D2.
  ids.L10 = await lead(
    db,
    { createdAt: "2026-01-06T20:00:00Z", status: "paused", lastOutcome: "NOT_INTERESTED" },
    [{ at: "2026-01-06T20:30:00Z", outcome: "NOT_INTERESTED", answered: true, price: 0.15 }],
  );
  // L11: created D1; a TRANSFERRED call on D1 that hung up at 12 s (transferred, not answered);
  // the closer sold it by hand on D2 (no call that day): a sale of D2.
  ids.L11 = await lead(
    db,
    {
      createdAt: "2026-01-05T17:00:00Z",
      state: "TX",
      status: "completed",
      finalOutcome: "SALE",
      completedAt: "2026-01-06T19:00:00Z",
      lastOutcome: "TRANSFERRED",
    },
    [{ at: "2026-01-05T17:30:00Z", outcome: "TRANSFERRED", answered: false, transferred: true, price: 0.6 }],
  );
  await putOnDncList(db, ids.L10, "closer marked DNC");
  await putOnDncList(db, ids.L2, "asked a closer not to call again after the sale");
  return ids;
}

async function putOnDncList(db: Db, leadId: number, reason: string): Promise<void> {
  const { phone } = await db
    .selectFrom("leads")
    .select("phone")
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
  await db.insertInto("dnc_phones").values({ phone, reason, source: "convoso" }).execute();
}
