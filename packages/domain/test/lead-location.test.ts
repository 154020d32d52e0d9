import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { AREA_CODES, leadLocation, normalizePhone, STATE_TIMEZONES, ZONES } from "../src/index.ts";

const E = "America/New_York";
const C = "America/Chicago";
const M = "America/Denver";
const P = "America/Los_Angeles";

describe("normalizePhone: any US format → E.164", () => {
  it.each([
    ["(305) 555-0100", "+13055550100"],
    ["305.555.0100", "+13055550100"],
    ["305-555-0100", "+13055550100"],
    ["1 305 555 0100", "+13055550100"],
    ["+1 (305) 555-0100", "+13055550100"],
    ["  3055550100 ", "+13055550100"],
  ])("%j → %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
  it.each([
    ["(787) 555-0100", "+17875550100"],
    ["939 555 0100", "+19395550100"],
    ["340-555-0100", "+13405550100"],
    ["671 555 0100", "+16715550100"],
    ["670 555 0100", "+16705550100"],
    ["684 555 0100", "+16845550100"],
  ])("a US territory's number %j → %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
  it.each(["555-0100", "123", "", "not a phone", "+44 20 7946 0958", "(011) 555-0100", "+1 416 555 0100"])(
    "%j is not a valid US number",
    (input) => {
      expect(normalizePhone(input)).toBeNull();
    },
  );
});

describe("leadLocation: every zone and state the person may be in", () => {
  it("Miami ZIP + 305 ⇒ Eastern only", () => {
    expect(leadLocation({ phone: "+13055550100", zipTimezone: E, zipState: "FL" })).toEqual({
      timezones: [E],
      states: ["FL"],
    });
  });
  it("Miami ZIP + 213 ⇒ Eastern and Pacific; FL and CA rules both apply", () => {
    expect(leadLocation({ phone: "+12135550100", zipTimezone: E, zipState: "FL" })).toEqual({
      timezones: [P, E],
      states: ["CA", "FL"],
    });
  });
  it("state FL, no ZIP, 850 ⇒ Eastern and Central", () => {
    expect(leadLocation({ phone: "+18505550100", state: "FL" }).timezones).toEqual([C, E]);
  });
  it("state FL, no ZIP, 305 ⇒ every zone of Florida", () => {
    expect(leadLocation({ phone: "+13055550100", state: "fl" }).timezones).toEqual([C, E]);
  });
  it.each(["850", "812", "219", "270", "606", "423", "208", "605", "701", "541"])(
    "split area code %s yields two zones",
    (code) => {
      expect(leadLocation({ phone: `+1${code}5550100` }).timezones).toHaveLength(2);
    },
  );
  it("Arizona's area codes use America/Phoenix (no DST); 928 adds the Navajo Nation's Mountain DST", () => {
    expect(leadLocation({ phone: "+16025550100" }).timezones).toEqual(["America/Phoenix"]);
    expect(leadLocation({ phone: "+19285550100" }).timezones).toEqual([M, "America/Phoenix"]);
  });
  it("state AK with a Seattle ZIP: the sources disagree, so both keep their zones", () => {
    expect(
      leadLocation({ phone: "+12065550100", state: "AK", zipTimezone: P, zipState: "WA" }).timezones,
    ).toEqual(["America/Adak", "America/Anchorage", P]);
  });
  it("a ZIP zone that is one of the stated state's keeps the ZIP's precision (Pensacola ZIP, state FL)", () => {
    expect(
      leadLocation({ phone: "+12055550100", state: "FL", zipTimezone: C, zipState: "FL" }).timezones,
    ).toEqual([C]);
  });
  it("state AZ without a ZIP may be the Navajo Nation: Phoenix and Mountain with DST", () => {
    expect(leadLocation({ phone: "+12135550100", state: "AZ" }).timezones).toEqual([M, P, "America/Phoenix"]);
  });
  it("Hawaii and Alaska", () => {
    expect(leadLocation({ phone: "+18085550100" })).toEqual({
      timezones: ["Pacific/Honolulu"],
      states: ["HI"],
    });
    expect(leadLocation({ phone: "+19075550100" }).timezones).toEqual(["America/Adak", "America/Anchorage"]);
  });
  it("stated, ZIP and area-code states all apply", () => {
    expect(
      leadLocation({ phone: "+14055550100", state: "TX", zipState: "NM", zipTimezone: M }).states,
    ).toEqual(["NM", "OK", "TX"]);
  });
  it("a toll-free number with no state has no zone (the engine then uses the safe window)", () => {
    expect(leadLocation({ phone: "+18005550100" })).toEqual({ timezones: [], states: [] });
  });
  it("an unknown state code is ignored", () => {
    expect(leadLocation({ phone: "+18005550100", state: "ZZ" })).toEqual({ timezones: [], states: [] });
  });
});

describe("the data tables", () => {
  it("cover every state, DC and the five inhabited territories with valid IANA zones", () => {
    expect(Object.keys(STATE_TIMEZONES)).toHaveLength(56);
    for (const zone of Object.values(ZONES)) expect(IANAZone.isValidZone(zone)).toBe(true);
  });
  it("map every area code to a known state and at least one zone, and every state has area codes", () => {
    expect(AREA_CODES.size).toBeGreaterThan(330);
    const states = new Set<string>();
    for (const [code, info] of AREA_CODES) {
      expect(code).toMatch(/^[2-9]\d\d$/);
      expect(STATE_TIMEZONES[info.state]).toBeDefined();
      expect(info.zones.length).toBeGreaterThan(0);
      states.add(info.state);
    }
    expect(states.size).toBe(56);
  });
});

describe("zones are compared by clock, not by name", () => {
  it("an Indianapolis ZIP (America/Indiana/Indianapolis) agrees with Indiana's Eastern time: no Central", () => {
    expect(
      leadLocation({
        phone: "+13175550100",
        state: "IN",
        zipTimezone: "America/Indiana/Indianapolis",
        zipState: "IN",
      }).timezones,
    ).toEqual(["America/Indiana/Indianapolis"]);
  });
  it("a Juneau ZIP (America/Juneau) agrees with Alaska's time: no Adak", () => {
    expect(
      leadLocation({ phone: "+19075550100", state: "AK", zipTimezone: "America/Juneau", zipState: "AK" })
        .timezones,
    ).toEqual(["America/Adak", "America/Juneau"]);
    expect(
      leadLocation({ phone: "+12065550100", state: "AK", zipTimezone: "America/Juneau", zipState: "AK" })
        .timezones,
    ).toEqual(["America/Juneau", P]);
  });
  it("a Detroit ZIP with Michigan and a Louisville ZIP with Kentucky keep Eastern only", () => {
    expect(
      leadLocation({ phone: "+13135550100", state: "MI", zipTimezone: "America/Detroit", zipState: "MI" })
        .timezones,
    ).toEqual(["America/Detroit"]);
    expect(
      leadLocation({
        phone: "+15025550100",
        state: "KY",
        zipTimezone: "America/Kentucky/Louisville",
        zipState: "KY",
      }).timezones,
    ).toEqual(["America/Kentucky/Louisville"]);
  });
  it("a Boise ZIP (America/Boise) with Idaho keeps Mountain only; its 208 area code still adds Pacific", () => {
    expect(
      leadLocation({ phone: "+12085550100", state: "ID", zipTimezone: "America/Boise", zipState: "ID" })
        .timezones,
    ).toEqual(["America/Boise", P]);
  });
  it("a ZIP zone on another clock than the state's still pulls in the state's zones (Seattle ZIP, state AK)", () => {
    expect(leadLocation({ phone: "+12065550100", state: "AK", zipTimezone: P }).timezones).toEqual([
      "America/Adak",
      "America/Anchorage",
      P,
    ]);
  });
  it("775 (northern Nevada) includes West Wendover's Mountain time", () => {
    expect(leadLocation({ phone: "+17755550100" })).toEqual({ timezones: [M, P], states: ["NV"] });
  });
});

describe("US territories work like states: their own zone, federal 08–21 there", () => {
  it.each([
    ["+17875550100", "America/Puerto_Rico", "PR"],
    ["+19395550100", "America/Puerto_Rico", "PR"],
    ["+13405550100", "America/Puerto_Rico", "VI"],
    ["+16715550100", "Pacific/Guam", "GU"],
    ["+16705550100", "Pacific/Guam", "MP"],
    ["+16845550100", "Pacific/Pago_Pago", "AS"],
  ])("%s is in %s (%s)", (phone, zone, state) => {
    expect(leadLocation({ phone })).toEqual({ timezones: [zone], states: [state] });
  });
  it("a stated territory without a phone area code gives its zone", () => {
    expect(leadLocation({ phone: "+18005550100", state: "pr" }).timezones).toEqual(["America/Puerto_Rico"]);
  });
});
