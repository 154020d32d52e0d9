import { describe, expect, it } from "vitest";
import { consentFromConvoso, parseConvosoConsentFields } from "../src/convoso-consent.ts";
import { parseConsentInput } from "../src/index.ts";

const NOW = new Date("2026-03-10T15:00:00Z");

describe("parseConsentInput: the consent object of a lead", () => {
  it("reads every field, the time with its offset, the type in any case; absent or null is no consent", () => {
    expect(
      parseConsentInput(
        {
          type: " Written ",
          captured_at: "2026-03-01T09:00:00-05:00",
          source: "https://example.com/quote",
          ip: "2001:db8::1",
          text_version: "tcpa-v7",
          certificate_id: 12345,
        },
        { now: NOW },
      ),
    ).toEqual({
      type: "written",
      capturedAt: new Date("2026-03-01T14:00:00Z"),
      source: "https://example.com/quote",
      ip: "2001:db8::1",
      textVersion: "tcpa-v7",
      certificateId: "12345",
    });
    expect(parseConsentInput(undefined, { now: NOW })).toBeUndefined();
    expect(parseConsentInput(null, { now: NOW })).toBeUndefined();
    expect(parseConsentInput({ type: "none" }, { now: NOW })).toMatchObject({
      type: "none",
      capturedAt: null,
    });
  });

  it("refuses what would be weak evidence, naming the field and what to send", () => {
    const refused = (raw: unknown) => {
      try {
        parseConsentInput(raw, { now: NOW });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(refused("yes")).toMatch(/^consent: an object/);
    expect(refused({ type: "verbal" })).toMatch(/^consent\.type: one of written, express, none/);
    expect(refused({ type: "express" })).toMatch(/^consent\.captured_at: required for express consent/);
    expect(refused({ type: "written", captured_at: "2026-03-01" })).toMatch(
      /^consent\.captured_at: an ISO 8601/,
    );
    expect(refused({ type: "written", captured_at: "2026-03-01 09:00" })).toMatch(/UTC offset/);
    expect(refused({ type: "written", captured_at: "2026-03-10T17:00:00Z" })).toMatch(/is in the future/);
    expect(refused({ type: "written", captured_at: "2026-03-01T09:00:00Z", ip: "x".repeat(65) })).toMatch(
      /^consent\.ip: at most 64 characters/,
    );
    expect(refused({ type: "written", captured_at: "2026-03-01T09:00:00Z", source: "a\0b" })).toMatch(
      /^consent\.source: contains a NUL/,
    );
  });

  it("reads a time without an offset in the zone it is told (a CRM's text field)", () => {
    expect(
      parseConsentInput(
        { type: "written", captured_at: "2026-03-01 09:00:00" },
        { now: NOW, naiveZone: "America/Chicago" },
      )?.capturedAt,
    ).toEqual(new Date("2026-03-01T15:00:00Z"));
  });
});

describe("CONVOSO_CONSENT_FIELDS: a Convoso lead push's consent", () => {
  it("maps Convoso fields onto the consent, with a constant type when the setting gives one", () => {
    const mapping = parseConvosoConsentFields(
      "type=written, captured_at=field_2, certificate_id=field_5 ,ip=field_4",
    );
    expect(mapping).toEqual({
      type: "written",
      fields: { captured_at: "field_2", certificate_id: "field_5", ip: "field_4" },
    });
    const push = {
      phone_number: "3055550101",
      field_2: "2026-03-01 09:00:00",
      field_5: "https://cert.trustedform.com/1",
    };
    expect(consentFromConvoso(push, mapping!, NOW, "America/New_York")).toEqual({
      type: "written",
      capturedAt: new Date("2026-03-01T14:00:00Z"),
      source: null,
      ip: null,
      textVersion: null,
      certificateId: "https://cert.trustedform.com/1",
    });
    // No capture time in the push: no consent on Convoso's side.
    expect(
      consentFromConvoso({ phone_number: "3055550101" }, mapping!, NOW, "America/New_York"),
    ).toBeUndefined();
  });

  it("a type read from a field; refusals name the Convoso field", () => {
    const mapping = parseConvosoConsentFields("type=field_1,captured_at=field_2")!;
    expect(() =>
      consentFromConvoso({ field_1: "verbal", field_2: "2026-03-01T09:00:00Z" }, mapping, NOW, "UTC"),
    ).toThrow(/^field_1 \(consent\.type\): one of written, express, none/);
    expect(() => consentFromConvoso({ field_1: "written", field_2: "soon" }, mapping, NOW, "UTC")).toThrow(
      /^field_2 \(consent\.captured_at\): an ISO 8601/,
    );
  });

  it("empty is no mapping; a setting without a capture time or a type, or with an unknown field, stops the process with what to write", () => {
    expect(parseConvosoConsentFields(undefined)).toBeNull();
    expect(parseConvosoConsentFields(" ")).toBeNull();
    expect(() => parseConvosoConsentFields("type=written")).toThrow(/name the Convoso field of captured_at/);
    expect(() => parseConvosoConsentFields("captured_at=field_2")).toThrow(/name the Convoso field of type/);
    expect(() => parseConvosoConsentFields("when=field_2")).toThrow(/"when" is not a consent field/);
    expect(() => parseConvosoConsentFields("captured_at=")).toThrow(/give the Convoso field of captured_at/);
  });
});
