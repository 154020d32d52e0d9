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
  it("writes JSON lines with secrets redacted", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: "test", destination });
    log.info(
      {
        req: { headers: { authorization: "sk-live-123", "x-api-key": "admin-key-1" } },
        client: { apiKey: "k", secret: "s" },
      },
      "hello",
    );
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.msg).toBe("hello");
    expect(entry.req.headers.authorization).toBe("[redacted]");
    expect(entry.req.headers["x-api-key"]).toBe("[redacted]");
    expect(entry.client).toEqual({ apiKey: "[redacted]", secret: "[redacted]" });
    expect(lines.join("")).not.toMatch(/sk-live-123|admin-key-1/);
  });
});
