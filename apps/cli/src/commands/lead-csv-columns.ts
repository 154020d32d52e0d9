/**
 * How the columns of a CRM's CSV export name our lead fields. A header is matched by its letters and
 * digits only, case-insensitively ("Phone Number", "phone_number" and "PHONE-NUMBER" are the same),
 * against the aliases below; `--map column=field` names a column the aliases do not know, or
 * overrides them (`--map "Alt Phone=ignore"`).
 */
export const IMPORT_FIELDS = [
  "phone",
  "first_name",
  "last_name",
  "email",
  "state",
  "zip",
  "timezone",
  "convoso_lead_id",
  "list_id",
  "source",
  "consent_type",
  "consent_captured_at",
  "consent_source",
  "consent_ip",
  "consent_text_version",
  "consent_certificate_id",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The headers each field is known by (after `headerKey`). The first is the field's own name. */
export const FIELD_ALIASES: Readonly<Record<ImportField, readonly string[]>> = {
  phone: ["phone", "phonenumber", "phone1", "mobile", "mobilephone", "cell", "cellphone", "primaryphone"],
  first_name: ["firstname", "first", "fname", "givenname"],
  last_name: ["lastname", "last", "lname", "surname", "familyname"],
  email: ["email", "emailaddress", "email1"],
  state: ["state", "statecode", "stateprovince", "province"],
  zip: ["zip", "zipcode", "postalcode", "postcode", "zip5"],
  timezone: ["timezone", "tz", "timezonename"],
  convoso_lead_id: ["convosoleadid", "leadid"],
  list_id: ["listid", "convosolistid"],
  source: ["source", "leadsource"],
  consent_type: ["consenttype"],
  consent_captured_at: ["consentcapturedat", "consentdate", "consenttimestamp", "optindate"],
  consent_source: ["consentsource", "consenturl", "optinurl"],
  consent_ip: ["consentip", "optinip", "ipaddress"],
  consent_text_version: ["consenttextversion", "consenttext", "consentlanguage"],
  consent_certificate_id: [
    "consentcertificateid",
    "trustedformcerturl",
    "trustedformcertificateid",
    "trustedformcertid",
    "jornayaleadid",
    "leadidtoken",
  ],
};

const BY_ALIAS = new Map(
  IMPORT_FIELDS.flatMap((field) => FIELD_ALIASES[field].map((alias) => [alias, field] as const)),
);

/** A header's matching key: its letters and digits, lower case. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export interface ColumnMapping {
  /** The field of each column, by position; undefined for a column not imported. */
  fields: (ImportField | undefined)[];
  /** The header of each mapped field (messages and the errors file name the file's own column). */
  columnOf: Partial<Record<ImportField, string>>;
  /** Headers no alias and no `--map` names: not imported. */
  ignored: string[];
}

export class ColumnMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ColumnMappingError";
  }
}

/** Read `--map` entries (`column=field`, field one of IMPORT_FIELDS or `ignore`). */
export function parseMapOptions(entries: readonly string[]): Map<string, ImportField | "ignore"> {
  const map = new Map<string, ImportField | "ignore">();
  for (const entry of entries) {
    const at = entry.lastIndexOf("=");
    const column = entry.slice(0, at).trim();
    const field = entry.slice(at + 1).trim();
    if (at <= 0 || column === "")
      throw new ColumnMappingError(`--map "${entry}": write it as column=field, e.g. --map "Cell=phone".`);
    if (field !== "ignore" && !(IMPORT_FIELDS as readonly string[]).includes(field))
      throw new ColumnMappingError(
        `--map "${entry}": "${field}" is not a field; use one of ${IMPORT_FIELDS.join(", ")}, or ignore.`,
      );
    map.set(headerKey(column), field as ImportField | "ignore");
  }
  return map;
}

/**
 * Match the header row to our fields: `--map` first, then the aliases. A field two columns claim,
 * a `--map` naming no column, and a file without a phone column are refused before any row is read.
 */
export function mapColumns(
  header: readonly string[],
  overrides: ReadonlyMap<string, ImportField | "ignore"> = new Map(),
): ColumnMapping {
  const keys = header.map(headerKey);
  for (const column of overrides.keys())
    if (!keys.includes(column))
      throw new ColumnMappingError(
        `--map names a column "${column}" the header does not have (its columns: ${header.join(", ")}).`,
      );
  const fields = keys.map((key) => {
    const chosen = overrides.get(key) ?? BY_ALIAS.get(key);
    return chosen === "ignore" ? undefined : chosen;
  });
  const columnOf: Partial<Record<ImportField, string>> = {};
  fields.forEach((field, position) => {
    if (!field) return;
    const previous = columnOf[field];
    if (previous !== undefined)
      throw new ColumnMappingError(
        `Columns "${previous}" and "${header[position]}" both read as ${field}: keep one with --map "${header[position]}=ignore" (or map it to another field).`,
      );
    columnOf[field] = header[position] ?? field;
  });
  if (!columnOf.phone)
    throw new ColumnMappingError(
      `No phone column (looked for ${FIELD_ALIASES.phone.join(", ")}, any case and punctuation); name yours with --map "Your Column=phone".`,
    );
  const ignored = header.filter((_, position) => fields[position] === undefined);
  return { fields, columnOf, ignored };
}

const CONSENT_KEYS = {
  consent_type: "type",
  consent_captured_at: "captured_at",
  consent_source: "source",
  consent_ip: "ip",
  consent_text_version: "text_version",
  consent_certificate_id: "certificate_id",
} as const satisfies Partial<Record<ImportField, string>>;

/**
 * One CSV record as the intake's lead object (`POST /v1/leads`'s body): the mapped cells, empty ones
 * left out, the consent columns gathered into `consent` when any of them has a value. `timezone` is
 * not sent: a lead's zones come from its ZIP, state and area code (every candidate, the strictest
 * window), never from a CRM's one-zone column.
 */
export function leadObject(record: readonly string[], mapping: ColumnMapping): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  const consent: Record<string, string> = {};
  mapping.fields.forEach((field, position) => {
    const value = record[position];
    if (!field || value === undefined || value.trim() === "" || field === "timezone") return;
    if (field in CONSENT_KEYS) consent[CONSENT_KEYS[field as keyof typeof CONSENT_KEYS]] = value;
    else lead[field] = value;
  });
  if (Object.keys(consent).length > 0) lead.consent = consent;
  return lead;
}

/** The file's column for a field an intake message names (`phone`, `consent.captured_at`). */
export function columnOfField(mapping: ColumnMapping, field: string): string {
  const ours = field.startsWith("consent.") ? `consent_${field.slice("consent.".length)}` : field;
  return mapping.columnOf[ours as ImportField] ?? field;
}
