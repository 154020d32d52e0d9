import nodemailer from "nodemailer";
import { request } from "undici";

/** One message to the operators: the daily report or an alert. */
export interface Notice {
  subject: string;
  text: string;
}

/** Where a notice went: the channels that took it (`email:a@b`, `slack`) and each failure's reason. */
export interface Delivery {
  deliveredTo: string[];
  errors: string[];
}

export interface NotifierConfig {
  /** nodemailer SMTP URL (smtp:// or smtps://); mail goes out only with `emailTo` as well. */
  smtpUrl?: string | undefined;
  emailFrom: string;
  emailTo?: readonly string[] | undefined;
  /** A Slack incoming webhook URL. */
  slackWebhookUrl?: string | undefined;
}

export interface Notifier {
  /** The channels configured, e.g. ["email", "slack"]; empty ⇒ notices are only stored. */
  channels: readonly string[];
  send(notice: Notice): Promise<Delivery>;
  close(): void;
}

/** Mail over SMTP (nodemailer) and/or a Slack incoming webhook; a failing channel does not stop the other. */
export function createNotifier(config: NotifierConfig): Notifier {
  const mail =
    config.smtpUrl && config.emailTo && config.emailTo.length > 0
      ? { transport: nodemailer.createTransport(config.smtpUrl), to: [...config.emailTo] }
      : undefined;
  const channels = [...(mail ? ["email"] : []), ...(config.slackWebhookUrl ? ["slack"] : [])];
  return {
    channels,
    async send(notice) {
      const delivery: Delivery = { deliveredTo: [], errors: [] };
      if (mail) {
        try {
          await mail.transport.sendMail({
            from: config.emailFrom,
            to: mail.to,
            subject: notice.subject,
            text: notice.text,
          });
          delivery.deliveredTo.push(...mail.to.map((to) => `email:${to}`));
        } catch (error) {
          delivery.errors.push(`email: ${describe(error)}`);
        }
      }
      if (config.slackWebhookUrl) {
        try {
          await postToSlack(config.slackWebhookUrl, notice);
          delivery.deliveredTo.push("slack");
        } catch (error) {
          delivery.errors.push(`slack: ${describe(error)}`);
        }
      }
      return delivery;
    },
    close: () => mail?.transport.close(),
  };
}

/** Slack's incoming webhook: `{text}`, answered 200 "ok". */
async function postToSlack(url: string, notice: Notice): Promise<void> {
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: `*${notice.subject}*\n\`\`\`\n${notice.text}\n\`\`\`` }),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const body = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`Slack answered ${response.statusCode}: ${body.slice(0, 200)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
