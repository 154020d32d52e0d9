import { assertNever } from "./outcome.ts";

/**
 * Consent to be called by an AI voice (an "artificial voice" under the TCPA, FCC 24-17):
 * - `written`: prior express WRITTEN consent (a signed or e-signed agreement naming the seller,
 *   the number and calls by artificial voice): what a sales call needs;
 * - `express`: prior express consent (the person gave the number for this purpose): enough for
 *   informational calls, not for telemarketing;
 * - `none`: the source states there is no consent (kept in the history, grants nothing).
 */
export type ConsentType = "written" | "express" | "none";

export const CONSENT_TYPES: readonly ConsentType[] = Object.freeze(["written", "express", "none"]);

/** What a dial needs on record (CONSENT_REQUIRED): a consent at least this strong. */
export type ConsentRequirement = ConsentType;

/** A consent as a source gave it (intake, the Convoso push, the CSV import). */
export interface Consent {
  type: ConsentType;
  /** When the person gave it (the form's submission time). */
  capturedAt: Date | null;
  /** Where: the form's URL, a campaign or form name. */
  source: string | null;
  ip: string | null;
  /** The consent text shown, or its version id. */
  textVersion: string | null;
  /** A lead-certification id (TrustedForm, Jornaya), stored as given. */
  certificateId: string | null;
}

/** One grant in a lead's consent history, as stored. */
export interface ConsentOnRecord extends Consent {
  id: number;
  recordedAt: Date;
  /** Which path recorded it: "POST /v1/leads", "convoso lead webhook", "csv import"… */
  recordedBy: string;
}

/** One row of a lead's consent history: a grant, or a revocation (an opt-out). Append-only. */
export type ConsentHistoryEntry =
  | (ConsentOnRecord & { kind: "grant" })
  | {
      kind: "revocation";
      id: number;
      revokedAt: Date;
      reason: string | null;
      recordedAt: Date;
      recordedBy: string;
    };

/** The engine's view of the consent a lead has now (the strongest grant since its last revocation). */
export type ConsentSnapshot = Pick<Consent, "type" | "capturedAt">;

/**
 * What a new lead's first grant puts on record as its current consent: the grant itself when it
 * grants anything (written or express, with a capture time), else nothing. The same rule as
 * lead_consent_current (migrations/repeatable), which derives the current consent from a whole
 * history in the database; a history of one grant and no revocation reduces to this, and the bulk
 * intake plans a new lead's schedule from it before the lead's row exists.
 */
export function firstGrantOnRecord(consent: Consent | null | undefined): ConsentSnapshot | null {
  if (!consent || consent.type === "none" || consent.capturedAt === null) return null;
  return { type: consent.type, capturedAt: consent.capturedAt };
}

function strength(type: ConsentType): number {
  switch (type) {
    case "written":
      return 2;
    case "express":
      return 1;
    case "none":
      return 0;
    default:
      return assertNever(type);
  }
}

/** True when a consent of `type` is at least as strong as `required` (written ⊇ express ⊇ none). */
export function meetsRequirement(type: ConsentType, required: ConsentRequirement): boolean {
  return strength(type) >= strength(required);
}

export type ConsentCheck =
  | { ok: true }
  /** No consent strong enough on record. */
  | { ok: false; reason: "missing"; detail: string }
  /** One is on record, but given after `now` (a clock ahead at the source): valid from `validFrom`. */
  | { ok: false; reason: "not_yet"; validFrom: Date; detail: string };

/** Does the lead's current consent allow a dial at `now` under `required`? */
export function checkConsent(
  consent: ConsentSnapshot | null,
  required: ConsentRequirement,
  now: Date,
): ConsentCheck {
  if (required === "none") return { ok: true };
  if (!consent || !meetsRequirement(consent.type, required) || consent.capturedAt === null) {
    const held = consent && consent.type !== "none" ? ` (on record: ${consent.type})` : "";
    return {
      ok: false,
      reason: "missing",
      detail: `no ${required} consent on record${held}: a dial needs ${required} consent (CONSENT_REQUIRED); record the lead's consent to call it`,
    };
  }
  if (consent.capturedAt.getTime() > now.getTime()) {
    return {
      ok: false,
      reason: "not_yet",
      validFrom: consent.capturedAt,
      detail: `${consent.type} consent captured at ${consent.capturedAt.toISOString()}, after now: valid from then`,
    };
  }
  return { ok: true };
}
