import { describe, expect, it } from "vitest";
import { type ConvosoStatus, classifyConvosoStatus, readConvosoStatus } from "../src/index.ts";

function status(code: string, flags: Partial<ConvosoStatus> = {}): ConvosoStatus {
  const no = { final: false, success: false, dnc: false, callback: false, contact: false, voicemail: false };
  return { code, name: code, ...no, reached: false, ...flags };
}

describe("classifyConvosoStatus without the account's statuses", () => {
  it.each([
    ["SALE", "sale"],
    ["sale", "sale"],
    ["DNC", "dnc"],
    ["DNCL", "dnc"],
    ["DNCC", "dnc"],
    ["DNCW", "dnc"],
    ["DNCQ", "dnc"],
    ["NA", "other"],
    ["NI", "other"],
    ["CB", "other"],
    ["ACA", "other"],
    ["SOLD", "other"],
  ] as const)("%s is %s", (code, expected) => {
    expect(classifyConvosoStatus(code)).toBe(expected);
  });
});

describe("classifyConvosoStatus with the account's statuses", () => {
  const statuses = [
    status("SOLD", { success: true, final: true }),
    status("LITIG", { dnc: true, final: true }),
    status("SALE"),
    status("DNCX"),
    status("BOTH", { success: true, dnc: true }),
  ];

  it.each([
    ["SOLD", "sale", "a custom code flagged success is a sale"],
    ["LITIG", "dnc", "a custom code flagged dnc is DNC"],
    ["SALE", "other", "the flags win over the name when the code is listed"],
    ["DNCX", "other", "a DNC-named code without the dnc flag is not DNC"],
    ["BOTH", "dnc", "dnc wins over success, so the number still goes on the DNC list"],
    ["DNCL", "dnc", "an unlisted code falls back to the names"],
    ["sold", "sale", "codes compare without case"],
  ] as const)("%s is %s: %s", (code, expected, _why) => {
    expect(classifyConvosoStatus(code, statuses)).toBe(expected);
  });
});

describe("readConvosoStatus: the class and why", () => {
  const statuses = [
    status("S", { success: true, final: true }),
    status("INT", { success: true }),
    status("DNCNFD", { dnc: true, final: true }),
    status("DNCA", { dnc: true, final: true }),
  ];

  it.each([
    ["S", "sale", "S (S): account flags success=Y, final=Y"],
    ["INT", "other", "INT (INT): success=Y but not final (qualified, not sold)"],
    ["DNCA", "dnc", "DNCA (DNCA): account flag dnc=Y"],
    ["DNCNFD", "bad_number", "DNCNFD is a bad-number status (the number, not the person)"],
    ["WRONG", "bad_number", "WRONG is a bad-number status (the number, not the person)"],
    ["BPN", "bad_number", "BPN is a bad-number status (the number, not the person)"],
    ["DC", "bad_number", "DC is a bad-number status (the number, not the person)"],
    ["NA", "other", "NA is not in the account's status table"],
  ] as const)("%s is %s: %s", (code, treatment, reason) => {
    expect(readConvosoStatus(code, statuses)).toEqual({ code, treatment, reason });
  });

  it("CONVOSO_STATUS_MAP's entry wins over the flags and the bad-number codes", () => {
    expect(readConvosoStatus("DNCA", statuses, { DNCA: "other" })).toMatchObject({
      treatment: "other",
      reason: "CONVOSO_STATUS_MAP DNCA:other",
    });
    expect(readConvosoStatus("dc", statuses, { DC: "dnc" }).treatment).toBe("dnc");
  });
});
