import fc from "fast-check";

/**
 * fast-check arbitraries for one OpenAPI operation (as `app.swagger()` describes it): path
 * parameters, query strings, headers (credentials right, wrong or missing) and bodies, each
 * mostly shaped by the operation's schemas, mixed with hostile values (NUL, lone surrogates,
 * huge strings, deep nesting, wrong types, broken JSON, other media types).
 */

export type JsonSchema = { [key: string]: unknown };

export interface Operation {
  method: string;
  /** OpenAPI path, `{id}` style */
  path: string;
  pathParams: { name: string; schema?: JsonSchema }[];
  queryParams: { name: string; schema?: JsonSchema }[];
  body?: JsonSchema;
  security: string[];
}

export interface FuzzRequest {
  operation: Operation;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** undefined: no body */
  payload?: string;
}

export interface Credentials {
  apiKey: string;
  convosoToken: string;
  sign: (payload: string) => string;
}

/** Every operation of an OpenAPI document (the one Fastify's swagger plugin builds). */
export function operationsOf(spec: { paths?: Record<string, Record<string, unknown>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths ?? {}))
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        parameters?: { in: string; name: string; schema?: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        security?: Record<string, unknown>[];
      };
      const params = op.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path"),
        queryParams: params.filter((p) => p.in === "query"),
        body: op.requestBody?.content?.["application/json"]?.schema,
        security: (op.security ?? []).flatMap((s) => Object.keys(s)),
      });
    }
  return operations;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udc00",
    "😀",
    "[object Object]",
    "null",
    "undefined",
    "0x10",
    "__proto__",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\\",
    "\r\n\t",
    " ",
    "",
  ),
  fc
    .tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 }))
    .map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1_000, max: 150_000 }).map((n) => "9".repeat(n)),
);

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.constantFrom(null, {}, [], true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.integer({ min: 20, max: 3_000 }).map(nested),
  fc.object({ maxDepth: 3, maxKeys: 4 }),
);

const AREA_CODES = ["212", "305", "312", "415", "617", "713", "808", "850", "907", "602", "800"];
const usPhone = fc
  .tuple(
    fc.constantFrom(...AREA_CODES),
    fc.integer({ min: 200, max: 999 }),
    fc.integer({ min: 0, max: 9999 }),
  )
  .chain(([area, exchange, line]) => {
    const last = String(line).padStart(4, "0");
    return fc.constantFrom(
      `${area}${exchange}${last}`,
      `(${area}) ${exchange}-${last}`,
      `+1${area}${exchange}${last}`,
      `1-${area}-${exchange}-${last}`,
      Number(`${area}${exchange}${last}`) as unknown as string,
    );
  });

const day = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .date({ min: new Date("2024-01-01"), max: new Date("2027-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  fc.constantFrom(
    "2026-02-30",
    "9999-01-01",
    "1000-01-01",
    "3000-12-31",
    "2026-3-1",
    "2026-13-01",
    "0000-00-00",
  ),
);

/** Values by field name: what a caller of that field plausibly sends, so requests get past parsing. */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  phone: usPhone,
  phone_number: usPhone,
  zip: fc.constantFrom("10001", "33101", "94103", "02134", "2134", "96813", "99501", "02134-1234", "1", 2134),
  postal_code: fc.constantFrom("60601", "32501", "2134", "021341234", "00000", 33101),
  state: fc.constantFrom("FL", "fl", "Florida", "new york", "XX", "CA", "PR", "Palau", "", "Hawaii"),
  email: fc.constantFrom("ann@example.com", "not-an-email", "a@b", ""),
  status: fc.constantFrom("SALE", "NA", "DNC", "DNCL", "S", "SOLD", "B", "AM", "WRONG", "CB", "NI"),
  lead_id: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }).map(String)),
  convoso_lead_id: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }).map(String)),
  list_id: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }).map(String)),
  call_id: fc.oneof(fc.uuid(), fc.constantFrom("call-1", "call-2")),
  c_id: fc.uuid(),
  from: day,
  to: day,
  id: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
    fc.constantFrom("0x10", "1e1", "016", "-1", "0", "99999999999999999999", "1.5", " 1"),
  ),
  timezone: fc.constantFrom(
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Mars/Olympus",
    "UTC",
  ),
  outcome: fc.constantFrom("SALE", "DNC", "sale", "NO_ANSWER"),
  completed: fc.boolean(),
  startTime: fc.constantFrom("08:00", "09:00", "11:00", "11:30", "8:00", "25:00"),
  endTime: fc.constantFrom("20:00", "21:00", "19:45", "17:00", "10:00", "24:00"),
  days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  blackoutDates: fc.array(day, { maxLength: 3 }),
  attempt_id: fc.integer({ min: 1, max: 40 }),
  answered_by: fc.constantFrom("human", "voicemail", "no-answer", "busy", "unknown"),
};

/** A value of `schema` (hinted by `name`), or now and then a hostile one. */
export function fieldValue(schema: JsonSchema | undefined, name = "", depth = 0): fc.Arbitrary<unknown> {
  const hint = HINTS[name];
  const plain = plainValue(schema, depth);
  // Rarely hostile here: a body has many fields, and bodyOf makes one field hostile on purpose.
  return fc.oneof(
    { weight: 20, arbitrary: hint ? fc.oneof({ weight: 9, arbitrary: hint }, plain) : plain },
    { weight: 1, arbitrary: hostileValue },
  );
}

function plainValue(schema: JsonSchema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const anyOf = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map((s) => plainValue(s, depth + 1)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const arbitraries = types.map((type) => typed(type, schema, depth));
  if (schema.nullable === true) arbitraries.push(fc.constant(null));
  return fc.oneof(...arbitraries);
}

function typed(type: string | undefined, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return fc.string({ maxLength: Math.min(Number(schema.maxLength ?? 40), 80) });
    case "integer":
      return fc.integer({ min: -10, max: 100_000 });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(fieldValue(schema.items as JsonSchema | undefined, "", depth + 1), { maxLength: 4 });
    case "object":
      return objectOf(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fieldValue(s, key, depth + 1)])),
    { requiredKeys: required.filter((key) => key in properties) },
  );
  const extra = fc.dictionary(
    fc.oneof(
      fc.constantFrom("auth_token", "__proto__", "constructor", "field_1", "k\u0000"),
      fc.string({ maxLength: 6 }),
    ),
    fieldValue(undefined, "", depth + 1),
    { maxKeys: 2 },
  );
  return fc
    .tuple(record, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, extra))
    .map(([known, more]) => ({
      ...more,
      ...known,
    }));
}

/** A body for the operation: schema-shaped, one field made hostile, wholly hostile, or broken bytes. */
function bodyOf(operation: Operation): fc.Arbitrary<{ value?: unknown; raw?: string }> {
  const shaped = plainValue(operation.body, 0);
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value) => ({ value })) },
    {
      weight: 3,
      arbitrary: fc.tuple(shaped, fc.string({ maxLength: 12 }), hostileValue).map(([value, key, bad]) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return { value: bad };
        const keys = Object.keys(value);
        const target = keys.length > 0 ? (keys[key.length % keys.length] as string) : key;
        return { value: { ...(value as object), [target]: bad } };
      }),
    },
    { weight: 1, arbitrary: hostileValue.map((value) => ({ value })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("{", "nul", "[1,", '{"a":1}}', "\u0000", "").map((raw) => ({ raw })),
    },
  );
}

function encodePathValue(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be percent-encoded as UTF-8: send the bytes a sloppy client would.
    return "%ED%A0%80";
  }
}

function queryOf(operation: Operation): fc.Arbitrary<string[]> {
  const known = operation.queryParams.map((p) =>
    fc.option(
      fieldValue(p.schema, p.name).map((v) => `${encodeURIComponent(p.name)}=${encodePathValue(v)}`),
      {
        nil: undefined,
      },
    ),
  );
  const extra = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    fc.constantFrom(
      "token=leaked-token",
      "api_key=leaked-key",
      "x=%E0%A4%A",
      "a[b]=1",
      "__proto__=1",
      "from=&to=",
    ),
  );
  return fc
    .tuple(fc.tuple(...known), extra)
    .map(([parts, more]) => [...parts, more].filter((part): part is string => part !== undefined));
}

type Credential = "valid" | "wrong" | "missing" | "query";

/** One request for `operation`. */
export function requestOf(operation: Operation, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const params = fc.tuple(...operation.pathParams.map((p) => fieldValue(p.schema, p.name)));
  const credential: fc.Arbitrary<Credential> = fc.oneof(
    { weight: 17, arbitrary: fc.constant("valid" as const) },
    { weight: 2, arbitrary: fc.constant("wrong" as const) },
    { weight: 1, arbitrary: fc.constant("missing" as const) },
    { weight: 2, arbitrary: fc.constant("query" as const) },
  );
  const mediaType = fc.oneof(
    { weight: 17, arbitrary: fc.constant("application/json") },
    fc.constantFrom(
      "application/x-www-form-urlencoded",
      "text/plain",
      "application/xml",
      "",
      "application/json; charset=utf-8",
    ),
  );
  const hasBody = operation.method !== "GET" && operation.method !== "HEAD";
  return fc
    .record({
      params,
      query: queryOf(operation),
      credential,
      mediaType,
      body: hasBody ? fc.option(bodyOf(operation), { nil: undefined, freq: 8 }) : fc.constant(undefined),
    })
    .map(({ params, query, credential, mediaType, body }) => {
      let path = operation.path;
      operation.pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, encodePathValue(params[i]));
      });
      const payload =
        body === undefined
          ? undefined
          : body.raw !== undefined
            ? body.raw
            : mediaType === "application/x-www-form-urlencoded"
              ? formOf(body.value)
              : JSON.stringify(body.value);
      const headers: Record<string, string> = {};
      if (payload !== undefined && mediaType) headers["content-type"] = mediaType;
      const queryParts = [...query];
      applyCredentials(operation, credential, credentials, payload ?? "", headers, queryParts);
      const url = queryParts.length > 0 ? `${path}?${queryParts.join("&")}` : path;
      return {
        operation,
        method: operation.method,
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      };
    });
}

function formOf(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  const form = new URLSearchParams();
  for (const [key, item] of Object.entries(value))
    form.append(
      key.toWellFormed(),
      (typeof item === "string" ? item : (JSON.stringify(item) ?? "")).toWellFormed(),
    );
  return form.toString();
}

function applyCredentials(
  operation: Operation,
  credential: Credential,
  credentials: Credentials,
  payload: string,
  headers: Record<string, string>,
  query: string[],
): void {
  for (const scheme of operation.security) {
    if (credential === "missing") continue;
    const wrong = credential === "wrong";
    if (scheme === "apiKey") headers["x-api-key"] = wrong ? "wrong-key-0000" : credentials.apiKey;
    else if (scheme === "convosoToken") {
      const token = wrong ? "wrong-token-0000" : credentials.convosoToken;
      if (credential === "query") query.push(`token=${encodeURIComponent(token)}`);
      else headers["x-webhook-token"] = token;
    } else if (scheme === "blandSignature")
      headers["x-webhook-signature"] = wrong ? "ab".repeat(32) : credentials.sign(payload);
  }
}
