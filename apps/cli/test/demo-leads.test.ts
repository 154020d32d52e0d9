import { noonOffsetSeconds } from "@redial/simulator";
import { describe, expect, it } from "vitest";
import { callablePlaces, demoClock, demoLeads } from "../src/commands/demo-leads.ts";

const cities = (places: ReturnType<typeof callablePlaces>) => places.map((p) => p.city);

describe("pnpm demo's leads: only where the law allows a call now (the engine decides)", () => {
  it("at noon in New York (a Monday in December): the mainland and Alaska (08:00), not Hawaii (07:00)", () => {
    const noon = new Date("2026-12-07T17:00:00Z");
    expect(cities(callablePlaces(noon))).toEqual([
      "New York",
      "Chicago",
      "Denver",
      "Phoenix",
      "Los Angeles",
      "Anchorage",
    ]);
    expect(demoClock(noon, noonOffsetSeconds).offsetSeconds).toBe(0);
  });

  it("at 22:00 in New York: only the zones where it is before 21:00 for the next 20 minutes", () => {
    // 19:00 in Los Angeles, 18:00 in Anchorage, 17:00 in Honolulu; 20:00 in Denver, 20:00 in Phoenix.
    expect(cities(callablePlaces(new Date("2026-12-08T03:00:00Z")))).toEqual([
      "Denver",
      "Phoenix",
      "Los Angeles",
      "Anchorage",
      "Honolulu",
    ]);
  });

  it("at 05:00 in New York (midnight in Honolulu) no US zone is legal: the demo's clock goes back to New York's last noon", () => {
    const night = new Date("2026-12-07T10:00:00Z");
    expect(callablePlaces(night)).toEqual([]);
    const clock = demoClock(night, noonOffsetSeconds);
    expect(clock.offsetSeconds).toBe(-17 * 3600);
    expect(cities(clock.places)).toContain("New York");
  });

  it("seeds numbers of the fictional 555-01xx range, spread over the places", () => {
    const now = new Date("2026-12-07T17:00:00Z");
    const leads = demoLeads(callablePlaces(now), 7, now);
    expect(leads.map((l) => l.phone)).toEqual([
      "2125550100",
      "3125550101",
      "3035550102",
      "6025550103",
      "2135550104",
      "9075550105",
      "2125550106",
    ]);
  });

  it("each demo lead carries written consent, captured a day before the processes' clock", () => {
    const shifted = new Date("2026-12-07T05:00:00Z");
    const [lead] = demoLeads(callablePlaces(shifted), 1, shifted);
    expect(lead?.consent).toMatchObject({ type: "written", captured_at: "2026-12-06T05:00:00.000Z" });
  });
});
