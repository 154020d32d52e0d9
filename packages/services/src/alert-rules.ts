/** The alert rules, each opened as one incident while it fires (alert_incidents). */
export const ALERT_RULES = [
  "no_dials",
  "bland_errors",
  "convoso_dead_letters",
  "webhook_failures",
  "spend_limit",
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** What the rules look at, read at one instant (alert-facts.ts). */
export interface AlertFacts {
  now: Date;
  fleetPaused: boolean;
  /** Active leads whose next dial is at least `noDialMinutes` overdue (due inside their window). */
  overdueLeads: number;
  lastDialAt: Date | null;
  /** Dial attempts of the last 15 minutes, and those Bland did not place. */
  dialsLast15Min: number;
  notPlacedLast15Min: number;
  deadLettersLastHour: number;
  webhookFailuresLast15Min: number;
  spendToday: number;
  spendLimit: number | null;
}

export interface AlertThresholds {
  noDialMinutes: number;
  blandErrorRate: number;
  blandMinDials: number;
  deadLettersPerHour: number;
  webhookFailures: number;
}

export interface Firing {
  summary: string;
  details: Record<string, unknown>;
}

/** The rules firing for these facts (pure: the facts carry `now`). */
export function firingAlerts(facts: AlertFacts, t: AlertThresholds): Map<AlertRule, Firing> {
  const firing = new Map<AlertRule, Firing>();
  const idleMinutes = facts.lastDialAt ? (facts.now.getTime() - facts.lastDialAt.getTime()) / 60_000 : null;
  if (
    !facts.fleetPaused &&
    facts.overdueLeads > 0 &&
    (idleMinutes === null || idleMinutes >= t.noDialMinutes)
  )
    firing.set("no_dials", {
      summary: `No dial for ${idleMinutes === null ? "ever" : `${Math.floor(idleMinutes)} min`} while ${facts.overdueLeads} leads are overdue`,
      details: { overdue_leads: facts.overdueLeads, last_dial_at: facts.lastDialAt?.toISOString() ?? null },
    });
  const rate = facts.dialsLast15Min > 0 ? facts.notPlacedLast15Min / facts.dialsLast15Min : 0;
  if (facts.dialsLast15Min >= t.blandMinDials && rate >= t.blandErrorRate)
    firing.set("bland_errors", {
      summary: `Bland did not place ${facts.notPlacedLast15Min} of ${facts.dialsLast15Min} dials in 15 min (${Math.round(rate * 100)}%)`,
      details: { dials: facts.dialsLast15Min, not_placed: facts.notPlacedLast15Min, rate },
    });
  if (facts.deadLettersLastHour >= t.deadLettersPerHour)
    firing.set("convoso_dead_letters", {
      summary: `${facts.deadLettersLastHour} outcomes could not be pushed to Convoso in the last hour`,
      details: { dead_letters_last_hour: facts.deadLettersLastHour },
    });
  if (facts.webhookFailuresLast15Min >= t.webhookFailures)
    firing.set("webhook_failures", {
      summary: `${facts.webhookFailuresLast15Min} webhook events failed in 15 min`,
      details: { failed: facts.webhookFailuresLast15Min },
    });
  if (facts.spendLimit !== null && facts.spendToday >= facts.spendLimit)
    firing.set("spend_limit", {
      summary: `Spend today ${facts.spendToday.toFixed(2)} reached DAILY_SPEND_LIMIT ${facts.spendLimit.toFixed(2)}`,
      details: { spend_today: facts.spendToday, limit: facts.spendLimit },
    });
  return firing;
}
