import { listDailyReports, listIncidents } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import { createNotifier, type Notifier } from "@redial/notify";
import { startMailCatcher, startSlackReceiver } from "@redial/notify/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AlertThresholds,
  deliverDailyReport,
  evaluateAlerts,
  firingAlerts,
  intakeLead,
  pauseLead,
  type RedialContext,
  type Runtime,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
let notifier: Notifier;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  mail = await startMailCatcher();
  slack = await startSlackReceiver();
  notifier = createNotifier({
    smtpUrl: mail.url,
    emailFrom: "redial@example.com",
    emailTo: ["ops@example.com"],
    slackWebhookUrl: slack.url,
  });
});
afterAll(async () => {
  notifier.close();
  await mail.close();
  await slack.close();
  await runtime.stop();
  await database.drop();
});

// Wednesday 2026-12-02, 21:00 Eastern (the default DAILY_REPORT_TIME), + minutes.
const at = (minutes = 0): RedialContext => ({
  ...runtime.ctx,
  now: () => new Date(Date.parse("2026-12-03T02:00:00Z") + minutes * 60_000),
});

const thresholds: AlertThresholds = {
  noDialMinutes: 15,
  blandErrorRate: 0.2,
  blandMinDials: 10,
  deadLettersPerHour: 1,
  webhookFailures: 1,
};

describe("the daily report", () => {
  it("is stored, mailed through SMTP and posted to Slack once per campaign day, with the reports' numbers", async () => {
    const { lead } = await intakeLead(at(-600), { phone: "(212) 555-0501", state: "NY" });
    await sql`INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, outcome, price, answered, transferred)
              VALUES (${lead.id}, 1, '2026-12-02', '2026-12-02T18:00:00Z', 'ended', 'TRANSFERRED', 0.42, true, true)`.execute(
      runtime.ctx.db,
    );
    expect(await deliverDailyReport(at(), notifier, "2026-12-02")).toBe("sent");
    const message = await mail.next();
    expect(message.to).toEqual(["ops@example.com"]);
    expect(message.raw).toContain("Subject: Redial daily report 2026-12-02");
    expect(message.raw).toMatch(/calls placed\s+1/);
    expect(message.raw).toMatch(/cost per transfer\s+0\.42/);
    expect(slack.posts).toHaveLength(1);

    const [stored] = await listDailyReports(runtime.ctx.db, 5);
    expect(stored).toMatchObject({
      day: "2026-12-02",
      deliveredTo: ["email:ops@example.com", "slack"],
      errors: [],
    });
    expect(stored?.numbers).toMatchObject({ day_calls: { calls_placed: 1, transferred: 1, cost: 0.42 } });

    expect(await deliverDailyReport(at(1), notifier, "2026-12-02")).toBe("already_sent");
    expect(slack.posts).toHaveLength(1);
  });
});

describe("alerts", () => {
  const facts = {
    now: new Date("2026-12-02T17:00:00Z"),
    fleetPaused: false,
    overdueLeads: 3,
    lastDialAt: new Date("2026-12-02T16:40:00Z"),
    dialsLast15Min: 0,
    notPlacedLast15Min: 0,
    deadLettersLastHour: 0,
    webhookFailuresLast15Min: 0,
    spendToday: 10,
    spendLimit: 50,
  };

  it("no dial for 20 minutes while 3 leads are overdue fires; not while the fleet is paused or dials are recent", () => {
    expect([...firingAlerts(facts, thresholds).keys()]).toEqual(["no_dials"]);
    expect(firingAlerts({ ...facts, fleetPaused: true }, thresholds).size).toBe(0);
    expect(firingAlerts({ ...facts, lastDialAt: new Date("2026-12-02T16:50:00Z") }, thresholds).size).toBe(0);
  });

  it("Bland's error rate needs enough dials; spend at the limit fires", () => {
    const quiet = { ...facts, overdueLeads: 0 };
    expect(firingAlerts({ ...quiet, dialsLast15Min: 5, notPlacedLast15Min: 5 }, thresholds).size).toBe(0);
    expect([
      ...firingAlerts({ ...quiet, dialsLast15Min: 20, notPlacedLast15Min: 4 }, thresholds).keys(),
    ]).toEqual(["bland_errors"]);
    expect([...firingAlerts({ ...quiet, spendToday: 50 }, thresholds).keys()]).toEqual(["spend_limit"]);
  });

  it("a webhook failure opens one incident, sent once; it resolves when the failures age out", async () => {
    const sentBefore = slack.posts.length;
    // The daily report's lead out of the way: no lead is overdue, so no_dials stays quiet.
    for (const lead of await runtime.ctx.db.selectFrom("leads").select("id").execute())
      await pauseLead(runtime.ctx, lead.id);
    await sql`INSERT INTO webhook_events (source, call_id, body, result, error, received_at)
              VALUES ('bland', 'c-1', '{}', 'error', 'boom', ${at(0).now()})`.execute(runtime.ctx.db);
    expect(await evaluateAlerts(at(1), notifier, { ...thresholds, spendLimit: null })).toEqual({
      opened: ["webhook_failures"],
      resolved: [],
    });
    expect(await evaluateAlerts(at(2), notifier, { ...thresholds, spendLimit: null })).toEqual({
      opened: [],
      resolved: [],
    });
    expect(slack.posts.length - sentBefore).toBe(1);
    expect(JSON.stringify(slack.posts.at(-1))).toContain("1 webhook events failed in 15 min");
    expect(await evaluateAlerts(at(20), notifier, { ...thresholds, spendLimit: null })).toEqual({
      opened: [],
      resolved: ["webhook_failures"],
    });
    const [incident] = await listIncidents(runtime.ctx.db, 5);
    expect(incident).toMatchObject({
      rule: "webhook_failures",
      notifiedTo: ["email:ops@example.com", "slack"],
    });
    expect(incident?.resolvedAt).not.toBeNull();
  });
});
