import { describe, expect, it } from "vitest";
import { type ConvosoStatus, classifyConvosoStatus } from "../src/index.ts";

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
