import { openIncident, resolveIncident, saveIncidentDelivery } from "@redial/db";
import type { Notifier } from "@redial/notify";
import { readAlertFacts } from "./alert-facts.ts";
import { ALERT_RULES, type AlertRule, type AlertThresholds, firingAlerts } from "./alert-rules.ts";
import type { RedialContext } from "./context.ts";

export interface AlertEvaluation {
  opened: AlertRule[];
  resolved: AlertRule[];
}

/**
 * One evaluation (the `alerts` cron, once a minute fleet-wide): a rule that starts firing opens an
 * incident and is sent once to the notifier's channels; a rule that stops firing resolves its
 * incident. A rule still firing sends nothing (one message per incident).
 */
export async function evaluateAlerts(
  ctx: RedialContext,
  notifier: Notifier,
  thresholds: AlertThresholds & { spendLimit: number | null },
): Promise<AlertEvaluation> {
  const facts = await readAlertFacts(ctx, {
    noDialMinutes: thresholds.noDialMinutes,
    spendLimit: thresholds.spendLimit,
  });
  const firing = firingAlerts(facts, thresholds);
  const result: AlertEvaluation = { opened: [], resolved: [] };
  for (const rule of ALERT_RULES) {
    const fire = firing.get(rule);
    if (!fire) {
      if (await resolveIncident(ctx.db, rule, facts.now)) result.resolved.push(rule);
      continue;
    }
    const incident = await openIncident(ctx.db, { rule, openedAt: facts.now, ...fire });
    if (!incident) continue;
    result.opened.push(rule);
    const delivery = await notifier.send({
      subject: `Redial alert: ${fire.summary}`,
      text: alertText(rule, fire),
    });
    await saveIncidentDelivery(ctx.db, incident.id, {
      notifiedTo: delivery.deliveredTo,
      errors: delivery.errors,
    });
    ctx.log.warn(
      { rule, ...fire.details, deliveredTo: delivery.deliveredTo, errors: delivery.errors },
      fire.summary,
    );
  }
  return result;
}

function alertText(rule: AlertRule, fire: { summary: string; details: Record<string, unknown> }): string {
  const lines = Object.entries(fire.details).map(([key, value]) => `  ${key}: ${String(value)}`);
  return [
    `${fire.summary}`,
    `rule: ${rule}`,
    ...lines,
    "",
    "The console's Health page shows the open incidents.",
  ].join("\n");
}
