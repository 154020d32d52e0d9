import { describe, expect, it } from "vitest";
import { completionBy } from "../src/index.ts";

describe("completionBy: a lead's first final outcome stands", () => {
  it("a lead still redialing is completed by SALE or DNC; DNC also goes on both DNC lists", () => {
    expect(completionBy({ finalOutcome: null }, "SALE")).toEqual({
      complete: "SALE",
      addToDncList: false,
      convosoSync: { outcome: "SALE", dnc: false },
    });
    expect(completionBy({ finalOutcome: null }, "DNC")).toEqual({
      complete: "DNC",
      addToDncList: true,
      convosoSync: { outcome: "DNC", dnc: true },
    });
  });

  it("a later SALE never overwrites DNC (a DNC entered by hand while the call was open)", () => {
    expect(completionBy({ finalOutcome: "DNC" }, "SALE")).toEqual({
      complete: null,
      addToDncList: false,
      convosoSync: null,
    });
  });

  it("a later DNC never overwrites SALE, but still puts the phone on our DNC list and Convoso's", () => {
    expect(completionBy({ finalOutcome: "SALE" }, "DNC")).toEqual({
      complete: null,
      addToDncList: true,
      convosoSync: { outcome: "SALE", dnc: true },
    });
  });

  it("the same final outcome again changes nothing new", () => {
    expect(completionBy({ finalOutcome: "SALE" }, "SALE")).toEqual({
      complete: null,
      addToDncList: false,
      convosoSync: null,
    });
    expect(completionBy({ finalOutcome: "DNC" }, "DNC")).toEqual({
      complete: null,
      addToDncList: true,
      convosoSync: null,
    });
  });
});
