import { afterEach, describe, expect, it } from "vitest";
import { createNotifier } from "../src/index.ts";
import { startMailCatcher, startSlackReceiver } from "../src/testing/receivers.ts";

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("createNotifier", () => {
  it("sends one notice by mail (a real SMTP server) and to Slack (a local receiver)", async () => {
    const mail = await startMailCatcher();
    const slack = await startSlackReceiver();
    closers.push(mail.close, slack.close);
    const notifier = createNotifier({
      smtpUrl: mail.url,
      emailFrom: "redial@example.com",
      emailTo: ["ops@example.com", "anthony@example.com"],
      slackWebhookUrl: slack.url,
    });
    closers.push(() => notifier.close());
    expect(notifier.channels).toEqual(["email", "slack"]);
    const delivery = await notifier.send({
      subject: "Redial daily report 2026-12-02",
      text: "calls placed  42",
    });
    expect(delivery).toEqual({
      deliveredTo: ["email:ops@example.com", "email:anthony@example.com", "slack"],
      errors: [],
    });
    const message = await mail.next();
    expect(message.from).toBe("redial@example.com");
    expect(message.to).toEqual(["ops@example.com", "anthony@example.com"]);
    expect(message.raw).toContain("Subject: Redial daily report 2026-12-02");
    expect(message.raw).toContain("calls placed  42");
    expect(slack.posts).toEqual([{ text: expect.stringContaining("calls placed  42") }]);
  });

  it("a failing channel is reported and does not stop the other", async () => {
    const slack = await startSlackReceiver({ status: 500 });
    const mail = await startMailCatcher();
    closers.push(mail.close, slack.close);
    const notifier = createNotifier({
      smtpUrl: mail.url,
      emailFrom: "redial@example.com",
      emailTo: ["ops@example.com"],
      slackWebhookUrl: slack.url,
    });
    closers.push(() => notifier.close());
    const delivery = await notifier.send({ subject: "s", text: "t" });
    expect(delivery.deliveredTo).toEqual(["email:ops@example.com"]);
    expect(delivery.errors).toEqual([expect.stringMatching(/^slack: Slack answered 500/)]);
  });

  it("without any channel configured a notice goes nowhere (it is still stored by the caller)", async () => {
    const notifier = createNotifier({ emailFrom: "redial@example.com" });
    expect(notifier.channels).toEqual([]);
    expect(await notifier.send({ subject: "s", text: "t" })).toEqual({ deliveredTo: [], errors: [] });
  });
});
