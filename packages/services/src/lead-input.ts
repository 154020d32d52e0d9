import { type Consent, normalizePhone } from "@redial/domain";
import { CONSENT_JSON_SCHEMA, parseConsentInput } from "./consent-input.ts";
import { InvalidField, InvalidPhone } from "./errors.ts";
import { isStorableText } from "./input-text.ts";
import { usStateCode } from "./us-state.ts";

/**
 * A lead as intake admits it: our field names, every value checked and normalized
 * (`parseLeadInput` makes one from what a sender posted; code that builds one itself, such as the
 * backfill, passes values of the same forms).
 */
export interface LeadInput {
  phone: string;
  /** two-letter code of a US state or territory */
  state?: string | null;
  /** 5 digits */
  zip?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  convoso_lead_id?: string | null;
  list_id?: string | null;
  source?: string | null;
  /** The person's consent as the sender gave it (recorded in the lead's history at intake). */
  consent?: Consent | null;
}

/** An optional field that was dropped or read differently than written; the lead was admitted. */
export interface FieldWarning {
  field: string;
  message: string;
}

export interface ParsedLead {
  input: LeadInput;
  warnings: FieldWarning[];
}

type LeadField = keyof LeadInput;

/** How a sender names our fields (Convoso's `postal_code` for `zip`): messages use its names. */
export type LeadFieldNames = Partial<Record<LeadField, string>>;

export const LEAD_TEXT_MAX = 200;
const EMAIL_MAX = 320;
const PHONE_MAX = 40;
/** Convoso's ids are digits; ours and other CRMs' may carry letters, `-`, `_`, `.` or `:`. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** What a coercion of null or undefined writes: never an id (migration 0012 cleared them). */
const NOT_IDENTIFIERS = new Set(["null", "undefined", "nan"]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Read one lead. Strict where a wrong value is dangerous: the phone is required and must be a US
 * number (InvalidPhone), identifiers are strings or numbers only, and text PostgreSQL cannot store
 * is refused (InvalidField names the field). Lenient where it is harmless: state names and codes
 * in any case, 4-digit ZIPs padded, ZIP+4 read as its 5 digits, and an invalid optional field
 * (state, ZIP, name, email, source) is dropped with a warning, never the whole lead.
 * `nullIdentifiers: "refuse"` refuses `null` ids too (Convoso's webhooks, where `null` was stored
 * as the text "null" once); by default `null` means "none", like every optional field.
 */
export function parseLeadInput(
  raw: unknown,
  options: {
    names?: LeadFieldNames;
    nullIdentifiers?: "absent" | "refuse";
    now?: Date;
    /** A consent time written without an offset (a CRM's export) is read in this IANA zone. */
    consentZone?: string;
  } = {},
): ParsedLead {
  const name = (field: LeadField) => options.names?.[field] ?? field;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new InvalidField("body", `a lead is a JSON object with at least a ${name("phone")}.`);
  const body = raw as Record<string, unknown>;
  for (const field of LEAD_FIELDS) {
    const value = body[field];
    if (typeof value === "string" && !isStorableText(value))
      throw new InvalidField(
        name(field),
        "contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored: remove it.",
      );
  }
  const warnings: FieldWarning[] = [];
  const warn = (field: LeadField, message: string) => {
    warnings.push({ field: name(field), message });
    return undefined;
  };
  const ids = options.nullIdentifiers ?? "absent";
  const input: LeadInput = {
    phone: readPhone(body.phone, name("phone")),
    state: readState(body.state, (m) => warn("state", m)),
    zip: readZip(body.zip, (m) => warn("zip", m)),
    first_name: readText(body.first_name, LEAD_TEXT_MAX, (m) => warn("first_name", m)),
    last_name: readText(body.last_name, LEAD_TEXT_MAX, (m) => warn("last_name", m)),
    email: readEmail(body.email, (m) => warn("email", m)),
    convoso_lead_id: parseIdentifier(body.convoso_lead_id, name("convoso_lead_id"), ids),
    list_id: parseIdentifier(body.list_id, name("list_id"), ids),
    source: readText(body.source, LEAD_TEXT_MAX, (m) => warn("source", m)),
    consent: readConsent(body.consent, { now: options.now, naiveZone: options.consentZone }, warnings),
  };
  return { input: dropAbsent(input), warnings };
}

/**
 * The lead's consent; one that cannot be read is not recorded, with a warning (the lead is admitted
 * and waits for a consent: no call is placed on a consent that could not be read).
 */
function readConsent(
  value: unknown,
  reading: { now: Date | undefined; naiveZone: string | undefined },
  warnings: FieldWarning[],
): Consent | undefined {
  try {
    return parseConsentInput(value, {
      now: reading.now,
      ...(reading.naiveZone ? { naiveZone: reading.naiveZone } : {}),
    });
  } catch (error) {
    if (!(error instanceof InvalidField)) throw error;
    warnings.push({
      field: error.field,
      message: `${error.message.slice(error.field.length + 2)} The consent was not recorded: the lead waits for one.`,
    });
    return undefined;
  }
}

const LEAD_FIELDS: readonly LeadField[] = [
  "phone",
  "state",
  "zip",
  "first_name",
  "last_name",
  "email",
  "convoso_lead_id",
  "list_id",
  "source",
];

function readPhone(value: unknown, field: string): string {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || text.trim() === "")
    throw new InvalidField(field, 'required: a US phone number such as "(415) 555-0199".');
  if (text.length > PHONE_MAX)
    throw new InvalidField(field, `at most ${PHONE_MAX} characters: send the 10 digits of a US number.`);
  const phone = text.trim();
  if (!normalizePhone(phone)) throw new InvalidPhone(phone);
  return phone;
}

type Warn = (message: string) => undefined;

function absent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function readText(value: unknown, max: number, warn: Warn): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return warn(`expected text, got ${kindOf(value)}: not stored.`);
  const text = value.trim();
  if (text.length > max) return warn(`longer than ${max} characters (${text.length}): not stored.`);
  return text;
}

function readEmail(value: unknown, warn: Warn): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== "string") return warn(`expected an email address, got ${kindOf(value)}: not stored.`);
  const email = value.trim();
  if (email.length > EMAIL_MAX || !EMAIL.test(email))
    return warn(`"${preview(email)}" is not an email address: not stored.`);
  return email;
}

function readState(value: unknown, warn: Warn): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== "string") return warn(`expected a US state, got ${kindOf(value)}: not stored.`);
  return (
    usStateCode(value) ??
    warn(
      `"${preview(value)}" is not a US state or territory (send a code such as FL or a name such as Florida): not stored; the lead's zones come from its ZIP and area code.`,
    )
  );
}

/** 5 digits; ZIP+4 (`02134-1234`, `021341234`) keeps its 5; 4 digits lost a leading zero. */
function readZip(value: unknown, warn: Warn): string | undefined {
  if (absent(value)) return undefined;
  const text = typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== "string") return warn(`expected a ZIP code, got ${kindOf(value)}: not stored.`);
  const zip = text.trim();
  const five = /^(\d{5})(?:[-\s]?\d{4})?$/.exec(zip)?.[1];
  if (five) return five;
  if (/^\d{4}$/.test(zip)) {
    warn(`"${zip}" has 4 digits: read as "0${zip}" (a leading zero lost by a spreadsheet).`);
    return `0${zip}`;
  }
  return warn(
    `"${preview(zip)}" is not a US ZIP code (5 digits or ZIP+4): not stored; the lead's zones come from its state and area code.`,
  );
}

/** True for a string our identifier columns accept (migration 0012's CHECK). */
export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text) && !NOT_IDENTIFIERS.has(text.toLowerCase());
}

/**
 * An identifier (a Convoso lead or list id): a string or a whole number, never coerced from null,
 * an object or an array (InvalidField names the field). `null` and "" are "none" unless
 * `nulls: "refuse"`, where `null` is refused too.
 */
export function parseIdentifier(
  value: unknown,
  field: string,
  nulls: "absent" | "refuse",
): string | undefined {
  if (value === undefined || (value === null && nulls === "absent")) return undefined;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && value.trim() === "") return undefined;
  if (
    typeof value === "string" &&
    IDENTIFIER.test(value.trim()) &&
    !NOT_IDENTIFIERS.has(value.trim().toLowerCase())
  )
    return value.trim();
  throw new InvalidField(
    field,
    `an identifier is a string or a whole number (letters, digits, "-", "_", ".", ":", at most 64), got ${kindOf(value)}${typeof value === "string" ? ` "${preview(value)}"` : ""}.`,
  );
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function dropAbsent(input: LeadInput): LeadInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as LeadInput;
}

/**
 * What intake accepts, as JSON Schema (the OpenAPI document's, which the fuzz suite generates
 * bodies from). `parseLeadInput` decides; this only describes.
 */
export const leadInputJsonSchema = {
  type: "object",
  required: ["phone"],
  properties: {
    phone: { anyOf: [{ type: "string", maxLength: PHONE_MAX }, { type: "integer" }] },
    state: { type: ["string", "null"], description: "code or name, any case: FL, fl, Florida" },
    zip: {
      anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }],
      description: "5 digits, ZIP+4, or 4 digits (padded)",
    },
    first_name: { type: ["string", "null"], maxLength: LEAD_TEXT_MAX },
    last_name: { type: ["string", "null"], maxLength: LEAD_TEXT_MAX },
    email: { type: ["string", "null"], maxLength: EMAIL_MAX },
    convoso_lead_id: { anyOf: [{ type: "string", maxLength: 64 }, { type: "integer" }, { type: "null" }] },
    list_id: { anyOf: [{ type: "string", maxLength: 64 }, { type: "integer" }, { type: "null" }] },
    source: { type: ["string", "null"], maxLength: LEAD_TEXT_MAX },
    consent: CONSENT_JSON_SCHEMA,
  },
} as const;
