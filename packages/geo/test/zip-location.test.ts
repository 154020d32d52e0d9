import { describe, expect, it } from "vitest";
import { lookupZip } from "../src/index.ts";

describe("lookupZip", () => {
  it.each([
    ["32501", "FL", "America/Chicago"], // Pensacola: Florida panhandle is Central
    ["33101", "FL", "America/New_York"], // Miami
    ["85001", "AZ", "America/Phoenix"], // Arizona: no DST
    ["96813", "HI", "Pacific/Honolulu"],
    ["79901", "TX", "America/Denver"], // El Paso is Mountain
    ["10001", "NY", "America/New_York"],
  ])("ZIP %s is in %s, zone %s", (zip, state, timezone) => {
    expect(lookupZip(zip)).toEqual({ zip, state, timezone });
  });

  it("a ZIP+4 is read by its first five digits", () => {
    expect(lookupZip("33101-1234")?.timezone).toBe("America/New_York");
  });

  it("an unknown or malformed ZIP gives undefined, never a guess", () => {
    expect(lookupZip("00000")).toBeUndefined();
    expect(lookupZip("abc")).toBeUndefined();
  });
});
