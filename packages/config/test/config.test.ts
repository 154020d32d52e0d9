import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, createLogger, csvList, parseConfig } from "../src/index.ts";

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_KEYS: csvList.pipe(z.array(z.string().min(8)).min(1, "at least one key")),
});

describe("parseConfig", () => {
  it("applies defaults, treats empty strings as unset, and freezes the result", () => {
    const config = parseConfig(schema, { PORT: "", API_KEYS: "key-one-123, key-two-456" });
    expect(config).toEqual({ PORT: 3000, API_KEYS: ["key-one-123", "key-two-456"] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names every bad variable and says where to look", () => {
    try {
      parseConfig(schema, { PORT: "eighty", API_KEYS: "" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/API_KEYS/);
      expect(message).toMatch(/\.env\.example/);
    }
  });
});

describe("createLogger", () => {
  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, log: createLogger({ name: "test", destination }) };
  }

  it("writes JSON lines with secrets redacted", () => {
    const { lines, log } = capture();
    log.info(
      {
        req: {
          method: "GET",
          url: "/x",
          headers: { authorization: "sk-live-123", "x-api-key": "admin-key-1" },
        },
        client: { apiKey: "k", secret: "s" },
      },
      "hello",
    );
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.msg).toBe("hello");
    expect(entry.client).toEqual({ apiKey: "[redacted]", secret: "[redacted]" });
    expect(lines.join("")).not.toMatch(/sk-live-123|admin-key-1/);
  });

  it("a logged URL never carries ?token=, ?api_key= or ?auth_token= values", () => {
    const { lines, log } = capture();
    log.info(
      {
        req: {
          method: "POST",
          url: "/v1/webhooks/convoso/status?token=tok-SECRET-1&api_key=key-SECRET-2&x=1&Auth_Token=t3-SECRET",
        },
      },
      "incoming request",
    );
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.req.url).toBe(
      "/v1/webhooks/convoso/status?token=[redacted]&api_key=[redacted]&x=1&Auth_Token=[redacted]",
    );
    expect(lines.join("")).not.toMatch(/SECRET/);
  });

  it("phone numbers are masked to their last 4 digits in messages, values and error texts", () => {
    const { lines, log } = capture();
    const error = Object.assign(new Error('new row for relation "leads" violates check constraint'), {
      detail: "Failing row contains (7, +14155550199, Ann, (212) 555-0100).",
    });
    log.error(
      { err: error, lead: { phone: "+13125550140" }, to: "312-555-0141" },
      "lead 415.555.0142 failed",
    );
    const text = lines.join("");
    for (const phone of ["4155550199", "2125550100", "3125550140", "3125550141", "4155550142"])
      expect(text.replace(/\D/g, "")).not.toContain(phone);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.err.detail).toBe("Failing row contains (7, ***-***-0199, Ann, ***-***-0100).");
    expect(entry.lead.phone).toBe("***-***-0140");
    expect(entry.msg).toBe("lead ***-***-0142 failed");
  });

  it("ids, timestamps and amounts are not taken for phones", () => {
    const { lines, log } = capture();
    log.info({ at: "2026-03-10T15:00:00.000Z", id: "123456", price: "0.0123" }, "call 9f2c1e40-1234-4a5b");
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({ at: "2026-03-10T15:00:00.000Z", id: "123456", price: "0.0123" });
    expect(entry.msg).toBe("call 9f2c1e40-1234-4a5b");
  });
});
