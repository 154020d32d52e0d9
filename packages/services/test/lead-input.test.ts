import { describe, expect, it } from "vitest";
import { InvalidField, InvalidPhone, parseLeadInput, usStateCode } from "../src/index.ts";

const phone = "(415) 555-0199";

describe("a lead's state", () => {
  it("is read from its code or its full name in any case: Florida, florida, FL, fl are all FL", () => {
    for (const state of ["Florida", "florida", "FLORIDA", "FL", "fl", " Fl "])
      expect(parseLeadInput({ phone, state }).input.state, state).toBe("FL");
    expect(parseLeadInput({ phone, state: "new  york" }).input.state).toBe("NY");
    expect(parseLeadInput({ phone, state: "District of Columbia" }).input.state).toBe("DC");
    expect(parseLeadInput({ phone, state: "Puerto Rico" }).input.state).toBe("PR");
  });

  it("XX is not a state: the field is dropped with a warning naming it, the lead is kept", () => {
    const { input, warnings } = parseLeadInput({ phone, state: "XX", zip: "94103" });
    expect(input).toEqual({ phone, zip: "94103" });
    expect(warnings).toEqual([{ field: "state", message: expect.stringMatching(/"XX" is not a US state/) }]);
  });

  it("only US states and territories count: Palau (a sovereign state with a USPS code) does not", () => {
    expect(usStateCode("PW")).toBeUndefined();
    expect(usStateCode("Palau")).toBeUndefined();
    expect(usStateCode("Guam")).toBe("GU");
  });
});

describe("a lead's ZIP", () => {
  it("4 digits get the leading zero a spreadsheet dropped: 2134 is 02134, with a warning that says so", () => {
    const text = parseLeadInput({ phone, zip: "2134" });
    expect(text.input.zip).toBe("02134");
    expect(text.warnings[0]).toMatchObject({ field: "zip", message: expect.stringMatching(/02134/) });
    expect(parseLeadInput({ phone, zip: 2134 }).input.zip).toBe("02134");
  });

  it("ZIP+4 is read as its 5 digits (02134-1234, 021341234)", () => {
    expect(parseLeadInput({ phone, zip: "02134-1234" })).toEqual({
      input: { phone, zip: "02134" },
      warnings: [],
    });
    expect(parseLeadInput({ phone, zip: "021341234" }).input.zip).toBe("02134");
  });

  it("a 10,000-digit ZIP is refused, not cut to 5: the field is dropped with a warning", () => {
    const { input, warnings } = parseLeadInput({ phone, zip: "9".repeat(10_000) });
    expect(input.zip).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.field).toBe("zip");
    expect(warnings[0]?.message.length).toBeLessThan(300);
  });
});

describe("optional fields", () => {
  it("an invalid optional field is dropped with a warning, never the whole lead; the others are kept", () => {
    const { input, warnings } = parseLeadInput({
      phone,
      first_name: { nested: true },
      last_name: "x".repeat(201),
      email: "not-an-email",
      source: ["a"],
      state: "CA",
    });
    expect(input).toEqual({ phone, state: "CA" });
    expect(warnings.map((w) => w.field)).toEqual(["first_name", "last_name", "email", "source"]);
  });

  it("null and empty strings mean none", () => {
    expect(parseLeadInput({ phone, state: null, zip: "", email: " ", convoso_lead_id: null }).input).toEqual({
      phone,
    });
  });
});

describe("the phone stays required and strict", () => {
  it("a missing, null or object phone is refused naming the field; an invalid one is InvalidPhone", () => {
    for (const body of [{}, { phone: null }, { phone: {} }, { phone: [] }, { phone: "x".repeat(41) }]) {
      expect(() => parseLeadInput(body), JSON.stringify(body).slice(0, 40)).toThrow(InvalidField);
      try {
        parseLeadInput(body);
      } catch (error) {
        expect((error as InvalidField).field).toBe("phone");
      }
    }
    expect(() => parseLeadInput({ phone: "555-0100" })).toThrow(InvalidPhone);
    expect(parseLeadInput({ phone: 4155550199 }).input.phone).toBe("4155550199");
  });

  it("a body that is not an object is refused", () => {
    for (const body of [null, [], "4155550199", 7]) expect(() => parseLeadInput(body)).toThrow(InvalidField);
  });
});

describe("identifiers are strings or numbers only", () => {
  it("convoso_lead_id {} or [] or true is refused with 400 naming the field, never stored as text", () => {
    for (const id of [{}, [], true, 1.5, -3, "a b", "[object Object]", "null", "undefined", "x".repeat(65)]) {
      expect(() => parseLeadInput({ phone, convoso_lead_id: id }), String(id)).toThrow(/convoso_lead_id/);
      expect(() => parseLeadInput({ phone, list_id: id }), String(id)).toThrow(/list_id/);
    }
  });

  it("a number or a string id is kept as text; null is none, or refused when the sender never sends null", () => {
    expect(parseLeadInput({ phone, convoso_lead_id: 777, list_id: "L-55" }).input).toMatchObject({
      convoso_lead_id: "777",
      list_id: "L-55",
    });
    expect(parseLeadInput({ phone, convoso_lead_id: null }).input.convoso_lead_id).toBeUndefined();
    expect(() =>
      parseLeadInput(
        { phone, convoso_lead_id: null },
        { nullIdentifiers: "refuse", names: { convoso_lead_id: "lead_id" } },
      ),
    ).toThrow(/^lead_id: /);
  });
});

describe("text PostgreSQL cannot store", () => {
  it("a NUL or an unpaired surrogate in a stored field is refused naming the field (as the sender names it)", () => {
    expect(() => parseLeadInput({ phone, first_name: "Ann\u0000" })).toThrow(/^first_name: .*NUL/);
    expect(() => parseLeadInput({ phone, last_name: "\ud800x" })).toThrow(/^last_name: /);
    expect(() => parseLeadInput({ phone, zip: "\u000002134" }, { names: { zip: "postal_code" } })).toThrow(
      /^postal_code: /,
    );
  });

  it("a field we do not store may hold anything", () => {
    expect(parseLeadInput({ phone, notes: "a\u0000b" }).input).toEqual({ phone });
  });

  it("paired surrogates (emoji) are ordinary text", () => {
    expect(parseLeadInput({ phone, first_name: "Ann 😀" }).input.first_name).toBe("Ann 😀");
  });
});
