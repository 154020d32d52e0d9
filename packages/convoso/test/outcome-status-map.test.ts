import { describe, expect, it } from "vitest";
import {
  DEFAULT_OUTCOME_STATUS_MAP,
  InvalidOutcomeStatusMap,
  parseOutcomeStatusMap,
  parseStatusOverrides,
} from "../src/index.ts";

describe("DEFAULT_OUTCOME_STATUS_MAP", () => {
  it("maps every outcome to the agreed Convoso status", () => {
    expect(DEFAULT_OUTCOME_STATUS_MAP).toEqual({
      SALE: "SALE",
      DNC: "DNC",
      TRANSFERRED: "ACA",
      CALLBACK: "CB",
      VOICEMAIL: "A",
      NO_ANSWER: "NA",
      BUSY: "B",
      NOT_INTERESTED: "NI",
      FAILED: "N",
      UNKNOWN: "NA",
    });
  });
});

describe("parseOutcomeStatusMap", () => {
  it("blank text gives the defaults", () => {
    expect(parseOutcomeStatusMap("")).toEqual(DEFAULT_OUTCOME_STATUS_MAP);
    expect(parseOutcomeStatusMap("  ")).toEqual(DEFAULT_OUTCOME_STATUS_MAP);
  });

  it("an override replaces only the outcomes it names", () => {
    expect(parseOutcomeStatusMap("SALE=SALE, DNC=DNCL,transferred=XFER,")).toEqual({
      ...DEFAULT_OUTCOME_STATUS_MAP,
      DNC: "DNCL",
      TRANSFERRED: "XFER",
    });
  });

  it("does not change the defaults", () => {
    parseOutcomeStatusMap("DNC=DNCQ");
    expect(DEFAULT_OUTCOME_STATUS_MAP.DNC).toBe("DNC");
  });

  it.each([
    ["SOLD=SALE", /"SOLD" is not an outcome/],
    ["SALE", /"SALE" is neither OUTCOME=STATUS/],
    ["SALE=", /status for SALE/],
    ["BUSY=B B", /status for BUSY/],
    ["DNC=DNC,DNC=DNCL", /DNC is mapped twice/],
  ])("%s is refused with a message naming the bad entry", (text, message) => {
    expect(() => parseOutcomeStatusMap(text)).toThrow(InvalidOutcomeStatusMap);
    expect(() => parseOutcomeStatusMap(text)).toThrow(message);
  });
});

describe("parseStatusOverrides: CONVOSO_STATUS_MAP's STATUS:treatment entries", () => {
  it("reads them beside OUTCOME=STATUS entries, which it leaves to parseOutcomeStatusMap", () => {
    const text = "SALE=S, s:sale,WRONG:bad_number , DNCLCC:other";
    expect(parseStatusOverrides(text)).toEqual({ S: "sale", WRONG: "bad_number", DNCLCC: "other" });
    expect(parseOutcomeStatusMap(text).SALE).toBe("S");
  });

  it.each([
    ["WRONG:broken", /"broken" in "WRONG:broken" is not a treatment/],
    ["W R:dnc", /is not a Convoso status abbreviation/],
    ["S:sale,S:dnc", /Status S is given twice/],
  ])("%s is refused with a message naming the bad entry", (text, message) => {
    expect(() => parseStatusOverrides(text)).toThrow(message);
  });
});
