import { findUnstorableText, withStorableText } from "@redial/services";
import type { FastifyInstance, FastifyRequest } from "fastify";
import secureJson from "secure-json-parse";
import { MAX_JSON_DEPTH } from "./edge-limits.ts";
import { BadRequest } from "./errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * Text PostgreSQL cannot store (NUL, unpaired surrogates) in the body: `refuse` it with a 400
     * naming the field (default), `strip` it (a raw event that must be stored whole), or leave it
     * to the route's own reading of the fields it keeps (`parsed`: bulk intake answers each row,
     * a Convoso lead's custom fields are not stored).
     */
    bodyText?: "refuse" | "strip" | "parsed";
    /** Checks the raw bytes before they are parsed (a webhook signature). */
    verifyBody?: (raw: Buffer, request: FastifyRequest) => Promise<void>;
  }
}

/**
 * Bodies are JSON (or form fields, which Convoso may send); their raw bytes are kept for
 * signatures. Before parsing: the route's `verifyBody`, then the nesting depth (a scan of the
 * bytes); parsing drops `__proto__`/`constructor.prototype` keys (secure-json-parse). After
 * parsing, before the handler: the query, the path and the body are checked for unstorable text.
 * Any other content type is 415.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "buffer" },
    async (request: FastifyRequest, raw: Buffer) => {
      request.rawBody = raw;
      await request.routeOptions.config.verifyBody?.(raw, request);
      if (raw.length === 0) return undefined;
      if (jsonDepthExceeds(raw, MAX_JSON_DEPTH))
        throw new BadRequest(`The JSON nests deeper than ${MAX_JSON_DEPTH} levels: flatten it.`);
      try {
        return secureJson.parse(raw, undefined, { protoAction: "remove", constructorAction: "remove" });
      } catch {
        throw new BadRequest("The body is not valid JSON.", "invalid_json");
      }
    },
  );
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer" },
    async (request: FastifyRequest, raw: Buffer) => {
      request.rawBody = raw;
      await request.routeOptions.config.verifyBody?.(raw, request);
      return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
    },
  );
  app.addHook("preValidation", async (request) => {
    for (const [part, value] of [
      ["query", request.query],
      ["path", request.params],
    ] as const) {
      const field = findUnstorableText(value);
      if (field) throw new BadRequest(`${part} ${field}: ${UNSTORABLE}`);
    }
    const policy = request.routeOptions.config.bodyText ?? "refuse";
    if (request.body === undefined || policy === "parsed") return;
    if (policy === "strip") {
      request.body = withStorableText(request.body);
      return;
    }
    const field = findUnstorableText(request.body);
    if (field) throw new BadRequest(`${field}: ${UNSTORABLE}`);
  });
}

const UNSTORABLE =
  "contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored: remove it.";

/** True when `[`/`{` nest deeper than `max` outside strings: counted over the bytes, no parsing. */
export function jsonDepthExceeds(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}
