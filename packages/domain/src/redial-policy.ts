import type { ConsentRequirement } from "./consent.ts";
import { InvalidIntervalsError } from "./errors.ts";

/**
 * How often one lead is redialed.
 * - `intervalsMinutes`: the k-th call waits entry k-1 after the previous call ENDED; the last entry repeats.
 * - `maxPerDay`: calls per lead per campaign day (campaign timezone).
 * - `minGapMinutes`: minimum time from the end of one call to the start of the next, whatever the schedule.
 * - `cadence`: 'restart_daily' (k counts today's calls: each day opens with a call at the first legal
 *   instant) or 'continue' (k counts every call the lead ever had).
 * - `maxTotalAttempts`: optional lifetime cap per lead (null = none, the default).
 * - `badNumberCooldownDays`: after a "number not in service/invalid/disconnected" failure.
 * - `answeredMinSeconds`: a human answer shorter than this does not count as answered.
 * - `consentRequired`: the consent a dial needs on record (default `written`: an AI voice is an
 *   artificial voice under the TCPA, and a sales call by one needs prior express written consent).
 */
export interface RedialPolicy {
  intervalsMinutes: readonly number[];
  maxPerDay: number;
  minGapMinutes: number;
  cadence: "restart_daily" | "continue";
  maxTotalAttempts: number | null;
  badNumberCooldownDays: number;
  answeredMinSeconds: number;
  consentRequired: ConsentRequirement;
}

export const DEFAULT_REDIAL_POLICY: RedialPolicy = Object.freeze({
  intervalsMinutes: Object.freeze([0, 2, 5, 10, 30, 60, 120]),
  maxPerDay: 8,
  minGapMinutes: 2,
  cadence: "restart_daily",
  maxTotalAttempts: null,
  badNumberCooldownDays: 15,
  answeredMinSeconds: 20,
  consentRequired: "written",
});

/**
 * Parse `REDIAL_PROGRESSIVE_INTERVALS`: "0,2,5,10" or "[0, 2, 5.5]" (minutes, fractions allowed).
 * Throws InvalidIntervalsError naming the bad entry.
 */
export function parseIntervals(text: string): number[] {
  const trimmed = text.trim();
  const body = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  if (body.trim() === "") {
    throw new InvalidIntervalsError(
      `Redial intervals "${text}" are empty: give minutes separated by commas, e.g. "0,2,5,10,30,60,120".`,
    );
  }
  return body.split(",").map((raw, index) => {
    const entry = raw.trim();
    const value = Number(entry);
    if (entry === "" || !Number.isFinite(value) || value < 0) {
      throw new InvalidIntervalsError(
        `Redial interval #${index + 1} "${entry}" in "${text}" is not a non-negative number of minutes: ` +
          `write e.g. "0,2,5,10,30,60,120" or "[0,2,5]" (fractions like 0.5 are allowed).`,
      );
    }
    return value;
  });
}

/** Minutes the k-th call (k ≥ 1) waits after the previous call ended; the last entry repeats. */
export function intervalBeforeCall(intervalsMinutes: readonly number[], k: number): number {
  if (intervalsMinutes.length === 0) return 0;
  const index = Math.min(Math.max(k - 1, 0), intervalsMinutes.length - 1);
  return intervalsMinutes[index] ?? 0;
}
