import { deleteHeartbeatsBefore } from "@redial/db";
import { campaignDay } from "@redial/domain";
import { type PgBoss, QUEUES } from "@redial/jobs";
import type { Notifier } from "@redial/notify";
import {
  type AlertThresholds,
  applySpendCap,
  deliverDailyReport,
  evaluateAlerts,
  type RedialContext,
} from "@redial/services";

export interface OperationsOptions {
  ctx: RedialContext;
  notifier: Notifier;
  /** DAILY_SPEND_LIMIT; null: no cap. */
  spendLimit: number | null;
  thresholds: AlertThresholds;
  /** DAILY_REPORT_TIME, HH:MM campaign time. */
  dailyReportTime: string;
}

/**
 * The operator's crons, each once per fleet (pg-boss singleton queues): every minute the spend cap
 * and the alert rules (and old heartbeats are dropped); at DAILY_REPORT_TIME the day's report stored and sent.
 */
export async function registerOperationsHandlers(boss: PgBoss, options: OperationsOptions): Promise<void> {
  const { ctx } = options;
  await boss.work(QUEUES.alerts.name, async () => {
    await applySpendCap(ctx, options.spendLimit);
    const evaluation = await evaluateAlerts(ctx, options.notifier, {
      ...options.thresholds,
      spendLimit: options.spendLimit,
    });
    if (evaluation.opened.length + evaluation.resolved.length > 0) ctx.log.info(evaluation, "alerts");
    // Workers gone for a week are forgotten (the Health page lists those of the last 30 s anyway).
    await deleteHeartbeatsBefore(ctx.db, new Date(ctx.now().getTime() - 7 * 86_400_000));
  });
  await boss.work(QUEUES.dailyReport.name, async () => {
    const day = campaignDay(ctx.now(), await ctx.calendar.get());
    await deliverDailyReport(ctx, options.notifier, day);
  });

  const calendar = await ctx.calendar.get();
  const [hour, minute] = options.dailyReportTime.split(":").map(Number);
  await boss.schedule(QUEUES.alerts.name, "* * * * *", {});
  await boss.schedule(QUEUES.dailyReport.name, `${minute} ${hour} * * *`, {}, { tz: calendar.timezone });
}
