import { CONSENT_TYPES, type Consent, type ConsentType } from "@redial/domain";
import { DateTime } from "luxon";
import { InvalidField } from "./errors.ts";

/** A consent time given later than this after our clock is refused (a typo, not a clock skew). */
const FUTURE_TOLERANCE_MS = 60 * 60_000;
/** A date, a time of day and its UTC offset: "2026-03-01T09:00:00-05:00", "2026-03-01 14:00Z". */
const OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;
/** A date and time of day without an offset: "2026-03-01 09:00", "2026-03-01T09:00:00". */
const NAIVE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const LIMITS = { source: 2000, ip: 64, text_version: 10_000, certificate_id: 500 } as const;

export interface ConsentReading {
  /** Our clock: a capture time more than an hour after it is refused (unset: not checked). */
  now?: Date | undefined;
  /** How messages name the object (default `consent`: `consent.captured_at: …`). */
  field?: string;
  /** A time written without an offset ("2026-03-01 09:00:00", a CRM's text field) is read in this zone. */
  naiveZone?: string;
}

/**
 * Read the `consent` object of a lead (`{type, captured_at, source, ip, text_version,
 * certificate_id}`, snake_case). Absent or null: undefined (nothing to record). Strict, because it
 * is evidence: `type` is written, express or none; `captured_at` (an ISO 8601 time with its UTC
 * offset, not in the future) is required unless the type is none; the other fields are stored as
 * given (text, trimmed, bounded). A refusal is an InvalidField naming the field.
 */
export function parseConsentInput(raw: unknown, options: ConsentReading = {}): Consent | undefined {
  const field = options.field ?? "consent";
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new InvalidField(
      field,
      'an object such as {"type": "written", "captured_at": "2026-03-01T14:00:00Z"}.',
    );
  const body = raw as Record<string, unknown>;
  const type = readType(body.type, `${field}.type`);
  const capturedAt = readTime(body.captured_at, `${field}.captured_at`, options);
  if (capturedAt === null && type !== "none")
    throw new InvalidField(
      `${field}.captured_at`,
      `required for ${type} consent: when the person gave it, as an ISO 8601 time with its offset.`,
    );
  return {
    type,
    capturedAt,
    source: readText(body.source, `${field}.source`, LIMITS.source),
    ip: readText(body.ip, `${field}.ip`, LIMITS.ip),
    textVersion: readText(body.text_version, `${field}.text_version`, LIMITS.text_version),
    certificateId: readText(body.certificate_id, `${field}.certificate_id`, LIMITS.certificate_id),
  };
}

function readType(value: unknown, field: string): ConsentType {
  const text = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (CONSENT_TYPES.includes(text as ConsentType)) return text as ConsentType;
  throw new InvalidField(
    field,
    `one of ${CONSENT_TYPES.join(", ")} (got ${JSON.stringify(value) ?? "nothing"}).`,
  );
}

function readTime(value: unknown, field: string, { now, naiveZone }: ConsentReading): Date | null {
  if (value === undefined || value === null || value === "") return null;
  const text = typeof value === "string" ? value.trim() : "";
  const parsed = OFFSET.test(text)
    ? DateTime.fromISO(text.replace(" ", "T"), { setZone: true })
    : naiveZone && NAIVE.test(text)
      ? DateTime.fromISO(text.replace(" ", "T"), { zone: naiveZone })
      : null;
  if (!parsed?.isValid)
    throw new InvalidField(field, 'an ISO 8601 time with its UTC offset, e.g. "2026-03-01T09:00:00-05:00".');
  if (now && parsed.toMillis() > now.getTime() + FUTURE_TOLERANCE_MS)
    throw new InvalidField(field, `${text} is in the future: send when the person gave consent.`);
  return parsed.toJSDate();
}

function readText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" && typeof value !== "number")
    throw new InvalidField(field, "text (stored as given).");
  const text = String(value).trim();
  if (text.length > max) throw new InvalidField(field, `at most ${max} characters.`);
  if (!text.isWellFormed() || text.includes("\0"))
    throw new InvalidField(
      field,
      "contains a NUL character or an unpaired surrogate, which cannot be stored.",
    );
  return text === "" ? null : text;
}

/** The consent object as JSON Schema (the OpenAPI document's; parseConsentInput decides). */
export const CONSENT_JSON_SCHEMA = {
  type: ["object", "null"],
  required: ["type"],
  properties: {
    type: { type: "string", enum: ["written", "express", "none"] },
    captured_at: {
      type: "string",
      format: "date-time",
      description: "when the person gave it, ISO 8601 with its offset; required unless type is none",
    },
    source: { type: "string", maxLength: LIMITS.source, description: "the form's URL or name" },
    ip: { type: "string", maxLength: LIMITS.ip },
    text_version: {
      type: "string",
      maxLength: LIMITS.text_version,
      description: "the consent text shown, or its version",
    },
    certificate_id: {
      type: "string",
      maxLength: LIMITS.certificate_id,
      description: "TrustedForm / Jornaya id, stored as given",
    },
  },
} as const;
