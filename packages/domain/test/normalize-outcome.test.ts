import { describe, expect, it } from "vitest";
import {
  type CallResult,
  endsRedialing,
  isAnswered,
  normalizeOutcome,
  OUTCOMES,
  type Outcome,
} from "../src/index.ts";

const rules = { answeredMinSeconds: 20 };
const outcomeOf = (result: CallResult): Outcome => normalizeOutcome(result, rules).outcome;

describe("only SALE and DNC end redialing", () => {
  it.each(OUTCOMES)("%s", (outcome) => {
    expect(endsRedialing(outcome)).toBe(outcome === "SALE" || outcome === "DNC");
  });
});

describe("answered has one definition: human and at least answeredMinSeconds", () => {
  it("a human for 20 s is answered", () => {
    expect(isAnswered({ answeredBy: "human", durationSeconds: 20 }, 20)).toBe(true);
  });
  it("a human for 19 s is not answered", () => {
    expect(isAnswered({ answeredBy: "human", durationSeconds: 19 }, 20)).toBe(false);
  });
  it("a voicemail for 60 s is not answered", () => {
    expect(isAnswered({ answeredBy: "voicemail", durationSeconds: 60 }, 20)).toBe(false);
  });
  it("answered_by is read case-insensitively; null is not answered", () => {
    expect(isAnswered({ answeredBy: " Human ", durationSeconds: 30 }, 20)).toBe(true);
    expect(isAnswered({ answeredBy: null, durationSeconds: 300 }, 20)).toBe(false);
  });
  it("normalizeOutcome uses corrected_duration (seconds, even as a string) before call_length (minutes)", () => {
    const a = normalizeOutcome({ answered_by: "human", corrected_duration: "25", call_length: 0.1 }, rules);
    expect(a).toMatchObject({ durationSeconds: 25, answered: true });
    const b = normalizeOutcome({ answered_by: "human", call_length: 0.25 }, rules);
    expect(b).toMatchObject({ durationSeconds: 15, answered: false });
  });
});

describe("labels are case-insensitive and tolerant of variants", () => {
  const cases: [string, Outcome][] = [
    ["SALE", "SALE"],
    ["sale", "SALE"],
    ["TRANSFER_SALE", "SALE"],
    ["Sold", "SALE"],
    ["NO_SALE", "UNKNOWN"],
    ["not a sale", "UNKNOWN"],
    ["sale_lost", "UNKNOWN"],
    ["Sale declined", "UNKNOWN"],
    ["sale-pending", "UNKNOWN"],
    ["SALE_CALLBACK", "CALLBACK"],
    ["sale cancelled", "UNKNOWN"],
    ["potential sale", "UNKNOWN"],
    ["closed won", "SALE"],
    ["sale made", "SALE"],
    ["DNC", "DNC"],
    ["do_not_call", "DNC"],
    ["Do Not Call", "DNC"],
    ["do-not-call", "DNC"],
    ["stop calling me", "DNC"],
    ["Take me off your list", "DNC"],
    ["remove me", "DNC"],
    ["opt-out", "DNC"],
    ["TRANSFERRED", "TRANSFERRED"],
    ["transfer", "TRANSFERRED"],
    ["Live Transfer", "TRANSFERRED"],
    ["callback", "CALLBACK"],
    ["Call Back Later", "CALLBACK"],
    ["voicemail", "VOICEMAIL"],
    ["answering_machine", "VOICEMAIL"],
    ["no-answer", "NO_ANSWER"],
    ["NO_ANSWER", "NO_ANSWER"],
    ["busy", "BUSY"],
    ["not_interested", "NOT_INTERESTED"],
    ["Not Interested", "NOT_INTERESTED"],
    ["failed", "FAILED"],
    ["unknown", "UNKNOWN"],
  ];
  it.each(cases)("explicit outcome %j → %s", (label, expected) => {
    expect(outcomeOf({ outcome: label })).toBe(expected);
  });
  it.each(cases)("pathway tag %j → %s", (label, expected) => {
    expect(outcomeOf({ pathway_tags: [label] })).toBe(expected);
  });
  it.each(cases)("pathway tag object {name: %j} → %s", (label, expected) => {
    expect(outcomeOf({ pathway_tags: [{ name: label }] })).toBe(expected);
  });
  it.each(cases)("disposition_tag %j → %s", (label, expected) => {
    expect(outcomeOf({ disposition_tag: label })).toBe(expected);
  });
});

describe("the precedence of conflicting signals", () => {
  it("1. DNC wins over SALE", () => {
    const n = normalizeOutcome({ pathway_tags: ["SALE", "DNC"] }, rules);
    expect(n).toMatchObject({ outcome: "DNC", decidedBy: "pathway_tags" });
  });
  it("1. a spoken opt-out in any variable is DNC, even with a sale tag", () => {
    const n = normalizeOutcome(
      { pathway_tags: ["SALE"], variables: { customer_said: "Please stop calling me" } },
      rules,
    );
    expect(n).toMatchObject({ outcome: "DNC", decidedBy: "variables.customer_said" });
  });
  it("1. a true do_not_call flag variable is DNC; a false one is not", () => {
    expect(outcomeOf({ variables: { do_not_call: true } })).toBe("DNC");
    expect(outcomeOf({ variables: { do_not_call: false }, answered_by: "voicemail" })).toBe("VOICEMAIL");
  });
  it("2. SALE wins over a merged transfer", () => {
    const n = normalizeOutcome({ disposition_tag: "sale", warm_transfer_call: { state: "MERGED" } }, rules);
    expect(n).toMatchObject({ outcome: "SALE", transferred: true });
  });
  it("2. SALE wins over voicemail detection and an explicit outcome label of lower rank", () => {
    expect(outcomeOf({ outcome: "voicemail", pathway_tags: ["sale"], answered_by: "voicemail" })).toBe(
      "SALE",
    );
  });
  it("2. a sale in an outcome variable counts; in an unrelated variable it does not", () => {
    expect(outcomeOf({ variables: { outcome: "SALE" } })).toBe("SALE");
    expect(outcomeOf({ variables: { product_for_sale: "sale" }, answered_by: "voicemail" })).toBe(
      "VOICEMAIL",
    );
  });
  it("3. a not-in-service error is FAILED and marks the number bad", () => {
    const n = normalizeOutcome({ status: "failed", error_message: "Number not in service" }, rules);
    expect(n).toMatchObject({ outcome: "FAILED", badNumber: true, decidedBy: "error_message" });
  });
  it.each(["Invalid phone number", "Number disconnected", "The number you dialed is no longer in service"])(
    "3. %j marks the number bad",
    (error_message) => {
      expect(normalizeOutcome({ status: "failed", error_message }, rules).badNumber).toBe(true);
    },
  );
  it("3. a carrier error that is not about the number is FAILED but not bad", () => {
    const n = normalizeOutcome({ status: "failed", error_message: "Carrier timeout" }, rules);
    expect(n).toMatchObject({ outcome: "FAILED", badNumber: false });
  });
  it("4. warm_transfer_call MERGED is TRANSFERRED (not a sale: redialing continues)", () => {
    const n = normalizeOutcome(
      { warm_transfer_call: { state: "merged" }, answered_by: "human", call_length: 3 },
      rules,
    );
    expect(n).toMatchObject({ outcome: "TRANSFERRED", transferred: true, decidedBy: "warm_transfer_call" });
    expect(endsRedialing(n.outcome)).toBe(false);
  });
  it("4. transferred_to set is TRANSFERRED, over a callback tag", () => {
    expect(outcomeOf({ transferred_to: "+15555550100", pathway_tags: ["callback"] })).toBe("TRANSFERRED");
  });
  it("4. a transfer tag beats a not-interested tag", () => {
    expect(outcomeOf({ pathway_tags: ["not interested", "transferred"] })).toBe("TRANSFERRED");
  });
  it("5. a callback time in variables is CALLBACK with callbackAt (ISO with offset)", () => {
    const n = normalizeOutcome({ variables: { callback_time: "2026-03-10T15:00:00-05:00" } }, rules);
    expect(n.outcome).toBe("CALLBACK");
    expect(n.callbackAt?.toISOString()).toBe("2026-03-10T20:00:00.000Z");
  });
  it("5. a callback time without offset is read in the callback zone", () => {
    const n = normalizeOutcome(
      { pathway_tags: ["callback"], variables: { callback_at: "2026-07-10 15:00" } },
      { answeredMinSeconds: 20, callbackZone: "America/Chicago" },
    );
    expect(n.callbackAt?.toISOString()).toBe("2026-07-10T20:00:00.000Z");
  });
  it("5. an unreadable callback time is ignored", () => {
    expect(normalizeOutcome({ variables: { callback_time: "tomorrow-ish" } }, rules).callbackAt).toBeNull();
  });
  it("6. not interested beats voicemail detection", () => {
    expect(outcomeOf({ disposition_tag: "NOT_INTERESTED", answered_by: "voicemail" })).toBe("NOT_INTERESTED");
  });
  it("7. the explicit outcome beats the disposition and tags among lower labels", () => {
    const n = normalizeOutcome(
      { outcome: "busy", disposition_tag: "voicemail", pathway_tags: ["no answer"] },
      rules,
    );
    expect(n).toMatchObject({ outcome: "BUSY", decidedBy: "outcome" });
  });
  it("8. answered_by voicemail is VOICEMAIL even when status is completed", () => {
    expect(outcomeOf({ status: "completed", answered_by: "voicemail", call_length: 0.5 })).toBe("VOICEMAIL");
  });
  it("9. status busy is BUSY", () => {
    expect(outcomeOf({ status: "busy" })).toBe("BUSY");
  });
  it("10. status no-answer, or answered_by no-answer, is NO_ANSWER", () => {
    expect(outcomeOf({ status: "no-answer" })).toBe("NO_ANSWER");
    expect(outcomeOf({ status: "completed", answered_by: "no-answer" })).toBe("NO_ANSWER");
  });
  it("11. status failed, a queue error or any error message is FAILED", () => {
    expect(outcomeOf({ status: "failed" })).toBe("FAILED");
    expect(outcomeOf({ queue_status: "call_error" })).toBe("FAILED");
    expect(outcomeOf({ error_message: "something broke" })).toBe("FAILED");
  });
  it("12. completed with zero seconds and no human is NO_ANSWER", () => {
    expect(outcomeOf({ status: "completed", call_length: 0 })).toBe("NO_ANSWER");
  });
  it("13. a human conversation without any label is UNKNOWN (redialing continues)", () => {
    const n = normalizeOutcome({ status: "completed", answered_by: "human", call_length: 2 }, rules);
    expect(n).toMatchObject({ outcome: "UNKNOWN", answered: true, decidedBy: "default" });
  });
  it("13. an empty result is UNKNOWN and not answered", () => {
    expect(normalizeOutcome({}, rules)).toEqual({
      outcome: "UNKNOWN",
      decidedBy: "default",
      reason: "no outcome label; answered_by empty, 0 s",
      answered: false,
      durationSeconds: 0,
      badNumber: false,
      callbackAt: null,
      transferred: false,
    });
  });
  it("null fields everywhere are tolerated", () => {
    const nulls: CallResult = {
      status: null,
      answered_by: null,
      call_length: null,
      corrected_duration: null,
      error_message: null,
      pathway_tags: [{ name: null }],
      disposition_tag: null,
      variables: null,
      warm_transfer_call: null,
      transferred_to: null,
      outcome: null,
      completed: null,
      queue_status: null,
    };
    expect(outcomeOf(nulls)).toBe("UNKNOWN");
  });
});
