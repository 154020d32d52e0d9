/**
 * Benchmark: decideNextDial for 100,000 random leads (target < 2 s on one core).
 * Run: node --experimental-strip-types tools/bench/src/next-dial.ts
 * Baseline in the same run: one luxon DateTime.fromJSDate().setZone() per lead, and the ratio.
 * Deterministic (seeded PRNG); the clock is read only here, at the edge, to time the loops.
 */

import {
  AREA_CODES,
  type AttemptSnapshot,
  DEFAULT_REDIAL_POLICY,
  DEFAULT_SCHEDULER_CONFIG,
  decideNextDial,
  type LeadSnapshot,
  leadLocation,
  STATE_TIMEZONES,
} from "@redial/domain";
import { DateTime } from "luxon";

const COUNT = Number(process.argv[2] ?? 100_000);
const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 14);

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Case {
  lead: LeadSnapshot;
  attempts: AttemptSnapshot[];
  now: Date;
}

function randomCases(count: number): Case[] {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const areaCodes = [...AREA_CODES.keys()];
  const states = Object.keys(STATE_TIMEZONES);
  return Array.from({ length: count }, () => {
    const now = START + Math.floor(random() * 30 * 24 * 60) * MINUTE; // a month of instants
    const location = leadLocation({
      phone: `+1${pick(areaCodes)}5550100`,
      state: random() < 0.7 ? pick(states) : null,
    });
    const attempts = Array.from({ length: Math.floor(random() * 10) }, () => {
      const dialedAt = now - Math.floor(random() * 47 * 60) * MINUTE - MINUTE;
      return {
        dialedAt: new Date(dialedAt),
        endedAt: new Date(Math.min(dialedAt + Math.floor(random() * 5) * MINUTE, now)),
      };
    });
    const callbackAt = random() < 0.1 ? new Date(now + Math.floor(random() * 3000) * MINUTE) : null;
    const lead: LeadSnapshot = {
      status: "active",
      finalOutcome: null,
      ...location,
      badNumberUntil: null,
      callbackAt,
      attemptsTotal: attempts.length,
      consent: { type: "written", capturedAt: new Date(now - 86_400_000) },
    };
    return { lead, attempts, now: new Date(now) };
  });
}

function time(label: string, run: () => number): number {
  const started = performance.now();
  const checksum = run();
  const elapsed = performance.now() - started;
  console.log(`${label.padEnd(52)} ${(elapsed / 1000).toFixed(3)} s  (checksum ${checksum})`);
  return elapsed;
}

const cases = randomCases(COUNT);
const baseline = time(`baseline: luxon fromJSDate().setZone() × ${COUNT}`, () => {
  let sum = 0;
  for (const c of cases)
    sum += DateTime.fromJSDate(c.now).setZone(c.lead.timezones[0] ?? "America/New_York").hour;
  return sum;
});
const kinds = new Map<string, number>();
const engine = time(`decideNextDial × ${COUNT} (cold caches)`, () => {
  let waits = 0;
  for (const c of cases) {
    const decision = decideNextDial({
      lead: c.lead,
      attempts: c.attempts,
      policy: DEFAULT_REDIAL_POLICY,
      calendar: DEFAULT_SCHEDULER_CONFIG,
      now: c.now,
    });
    const key = decision.kind === "wait" ? `wait:${decision.reason}` : decision.kind;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
    if (decision.kind === "wait") waits++;
  }
  return waits;
});
console.log(
  `ratio engine / baseline: ${(engine / baseline).toFixed(1)}×; target < 2 s: ${engine < 2000 ? "MET" : "MISSED"}`,
);
console.log("decisions:", Object.fromEntries([...kinds].sort()));
