import { CONSENT_TYPES, type Consent, type ConsentType } from "@redial/domain";
import { parseConsentInput } from "./consent-input.ts";
import { InvalidField } from "./errors.ts";
import type { FieldWarning } from "./lead-input.ts";

/** Our consent fields, each read from a Convoso field (or, for `type`, a constant). */
const CONSENT_FIELDS = ["type", "captured_at", "source", "ip", "text_version", "certificate_id"] as const;
type ConsentField = (typeof CONSENT_FIELDS)[number];

/**
 * CONVOSO_CONSENT_FIELDS as parsed: which Convoso field carries each part of a lead's consent,
 * and a constant type when the list's leads all come with one kind of consent.
 */
export interface ConvosoConsentMapping {
  fields: Partial<Record<ConsentField, string>>;
  /** `type=written` in the setting: every lead pushed with a capture time has that consent. */
  type: ConsentType | null;
}

export class InvalidConvosoConsentFields extends Error {
  readonly code = "invalid_convoso_consent_fields" as const;
  constructor(message: string) {
    super(message);
    this.name = "InvalidConvosoConsentFields";
  }
}

/**
 * Read CONVOSO_CONSENT_FIELDS, e.g. `type=field_1,captured_at=field_2,certificate_id=field_5`, or
 * `type=written,captured_at=date_of_consent,certificate_id=field_12` for a constant type. Empty:
 * Convoso's pushes carry no consent (null).
 */
export function parseConvosoConsentFields(text: string | undefined): ConvosoConsentMapping | null {
  if (!text || text.trim() === "") return null;
  const mapping: ConvosoConsentMapping = { fields: {}, type: null };
  for (const pair of text.split(",")) {
    const [ours = "", theirs = ""] = pair.split("=").map((part) => part.trim());
    if (!(CONSENT_FIELDS as readonly string[]).includes(ours))
      throw new InvalidConvosoConsentFields(
        `"${ours}" is not a consent field: name some of ${CONSENT_FIELDS.join(", ")} (e.g. captured_at=field_2).`,
      );
    if (!/^[A-Za-z0-9_]{1,64}$/.test(theirs))
      throw new InvalidConvosoConsentFields(`give the Convoso field of ${ours} (e.g. ${ours}=field_3).`);
    if (ours === "type" && CONSENT_TYPES.includes(theirs as ConsentType))
      mapping.type = theirs as ConsentType;
    else mapping.fields[ours as ConsentField] = theirs;
  }
  if (!mapping.fields.captured_at)
    throw new InvalidConvosoConsentFields(
      "name the Convoso field of captured_at: a consent without its time proves nothing.",
    );
  if (!mapping.fields.type && !mapping.type)
    throw new InvalidConvosoConsentFields("name the Convoso field of type, or a constant (type=written).");
  return mapping;
}

/**
 * The consent a Convoso lead push carries under `mapping`, or undefined when its capture-time field
 * is empty (a lead without consent on Convoso's side). A time without an offset is read in
 * `zone` (the campaign's). Refusals name the Convoso field (`field_2 (consent.captured_at)`).
 */
export function consentFromConvoso(
  body: Record<string, unknown>,
  mapping: ConvosoConsentMapping,
  now: Date,
  zone: string,
): Consent | undefined {
  const captured = body[mapping.fields.captured_at ?? ""];
  if (captured === undefined || captured === null || captured === "") return undefined;
  const raw: Record<string, unknown> = { type: mapping.type ?? undefined };
  for (const field of CONSENT_FIELDS) {
    const source = mapping.fields[field];
    if (source !== undefined) raw[field] = body[source];
  }
  try {
    return parseConsentInput(raw, { now, naiveZone: zone });
  } catch (error) {
    if (!(error instanceof InvalidField)) throw error;
    const ours = error.field.replace(/^consent\./, "") as ConsentField;
    const theirs = mapping.fields[ours];
    throw new InvalidField(
      theirs ? `${theirs} (${error.field})` : error.field,
      error.message.replace(/^[^:]*: /, ""),
    );
  }
}

/**
 * The consent of a Convoso lead push, leniently: one that cannot be read is not recorded and comes
 * back as a warning naming the Convoso field (the lead is admitted and waits for a consent).
 */
export function readConvosoConsent(
  body: unknown,
  mapping: ConvosoConsentMapping | null,
  now: Date,
  zone: string,
): { consent?: Consent; warning?: FieldWarning } {
  if (!mapping || body === null || typeof body !== "object" || Array.isArray(body)) return {};
  try {
    const consent = consentFromConvoso(body as Record<string, unknown>, mapping, now, zone);
    return consent ? { consent } : {};
  } catch (error) {
    if (!(error instanceof InvalidField)) throw error;
    const message = error.message.slice(error.field.length + 2);
    return {
      warning: {
        field: error.field,
        message: `${message} The consent was not recorded: the lead waits for one.`,
      },
    };
  }
}
