import { describe, expect, it } from "vitest";
import { checkConsent, meetsRequirement } from "../src/index.ts";
import { at, decide, leadFor, waitUntil } from "./helpers.ts";

const newYork = leadFor({ phone: "+12125550123", state: "NY" });
// Monday 2026-03-09 15:05Z = 11:05 EDT: inside the default campaign window.
const OPEN = "2026-03-09T15:05:00Z";

describe("the consent a dial needs (CONSENT_REQUIRED)", () => {
  it("a lead with no consent on record is not dialed under 'written': it waits a day, saying so", () => {
    const decision = decide({ ...newYork, consent: null }, OPEN);
    expect(decision).toMatchObject({ kind: "wait", reason: "no_consent" });
    expect(waitUntil(decision)).toBe("2026-03-10T15:05:00.000Z");
    expect(decision.kind === "wait" && decision.detail).toMatch(/^no written consent on record/);
  });

  it("written consent is dialed under 'written' and under 'express'", () => {
    const lead = {
      ...newYork,
      consent: { type: "written" as const, capturedAt: at("2026-03-01T00:00:00Z") },
    };
    expect(decide(lead, OPEN, { policy: { consentRequired: "written" } })).toEqual({ kind: "dial_now" });
    expect(decide(lead, OPEN, { policy: { consentRequired: "express" } })).toEqual({ kind: "dial_now" });
  });

  it("express consent is not enough for 'written', and the wait names what is on record", () => {
    const lead = {
      ...newYork,
      consent: { type: "express" as const, capturedAt: at("2026-03-01T00:00:00Z") },
    };
    const decision = decide(lead, OPEN, { policy: { consentRequired: "written" } });
    expect(decision).toMatchObject({ kind: "wait", reason: "no_consent" });
    expect(decision.kind === "wait" && decision.detail).toContain("(on record: express)");
    expect(decide(lead, OPEN, { policy: { consentRequired: "express" } })).toEqual({ kind: "dial_now" });
  });

  it("'none' dials a lead without consent (the other rules still apply)", () => {
    const lead = { ...newYork, consent: null };
    expect(decide(lead, OPEN, { policy: { consentRequired: "none" } })).toEqual({ kind: "dial_now" });
    // Saturday: not a campaign day, consent or not.
    expect(decide(lead, "2026-03-14T15:05:00Z", { policy: { consentRequired: "none" } })).toMatchObject({
      kind: "wait",
      reason: "not_a_calling_day",
    });
  });

  it("a consent of type none grants nothing", () => {
    const lead = { ...newYork, consent: { type: "none" as const, capturedAt: at("2026-03-01T00:00:00Z") } };
    expect(decide(lead, OPEN, { policy: { consentRequired: "express" } })).toMatchObject({
      kind: "wait",
      reason: "no_consent",
    });
  });

  it("a consent without a capture time proves nothing: the lead waits", () => {
    const lead = { ...newYork, consent: { type: "written" as const, capturedAt: null } };
    expect(decide(lead, OPEN)).toMatchObject({ kind: "wait", reason: "no_consent" });
  });

  it("a consent captured after now (a source's clock ahead) counts from its capture time", () => {
    const lead = {
      ...newYork,
      consent: { type: "written" as const, capturedAt: at("2026-03-09T15:06:00Z") },
    };
    const decision = decide(lead, OPEN);
    expect(decision).toMatchObject({ kind: "wait", reason: "no_consent", at: at("2026-03-09T15:06:00Z") });
    expect(decide(lead, "2026-03-09T15:06:00Z")).toEqual({ kind: "dial_now" });
  });

  it("outside the calling window a lead without consent says consent, not the window (consent is asked first)", () => {
    // 03:00 EDT.
    expect(decide({ ...newYork, consent: null }, "2026-03-09T07:00:00Z")).toMatchObject({
      kind: "wait",
      reason: "no_consent",
    });
  });

  it("a paused lead stays paused and a call in progress stays in progress, consent or not", () => {
    expect(decide({ ...newYork, consent: null, status: "paused" }, OPEN)).toMatchObject({
      kind: "never",
      reason: "paused",
    });
    const running = [{ dialedAt: at("2026-03-09T15:00:00Z"), endedAt: null }];
    expect(decide({ ...newYork, consent: null }, OPEN, { attempts: running })).toMatchObject({
      kind: "in_progress",
    });
  });

  it("written ⊇ express ⊇ none", () => {
    expect(meetsRequirement("written", "express")).toBe(true);
    expect(meetsRequirement("express", "written")).toBe(false);
    expect(meetsRequirement("none", "none")).toBe(true);
    expect(meetsRequirement("none", "express")).toBe(false);
    expect(checkConsent(null, "none", at(OPEN))).toEqual({ ok: true });
  });
});
