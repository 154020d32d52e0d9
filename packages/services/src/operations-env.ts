import { csvList } from "@redial/config";
import { z } from "zod";

/** DAILY_SPEND_LIMIT, read by the worker (the cap) and the API (the Today page and /metrics). */
export const spendLimitEnv = {
  /** Dollars of Bland calls per campaign day; reached ⇒ the fleet pauses until the next day. Unset ⇒ no cap. */
  DAILY_SPEND_LIMIT: z.coerce.number().positive().optional(),
};

/** Where the daily report and the alerts are sent, and when (worker). */
export const deliveryEnv = {
  /** nodemailer's SMTP URL, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS). */
  SMTP_URL: z.string().url({ message: "an smtp:// or smtps:// URL" }).optional(),
  /** The sender, e.g. "Redial <redial@example.com>" (nodemailer reads the display form too). */
  REPORT_EMAIL_FROM: z.string().min(3).default("redial@localhost"),
  /** Comma-separated addresses; mail is sent only when SMTP_URL and this are set. */
  REPORT_EMAIL_TO: csvList.pipe(z.array(z.string().email())).optional(),
  /** A Slack incoming webhook URL. */
  SLACK_WEBHOOK_URL: z.string().url().optional(),
  /** Campaign-local HH:MM at which the day's report is stored and sent. */
  DAILY_REPORT_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM in the campaign's timezone, e.g. 21:00")
    .default("21:00"),
};

/** Alert thresholds (worker; the alerts cron evaluates them every minute). */
export const alertEnv = {
  /** No dial for this many minutes while leads are overdue inside their window ⇒ alert. */
  ALERT_NO_DIAL_MINUTES: z.coerce.number().positive().default(15),
  /** Share of dial requests Bland failed over the last 15 minutes ⇒ alert (with at least ALERT_BLAND_MIN_DIALS). */
  ALERT_BLAND_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.2),
  ALERT_BLAND_MIN_DIALS: z.coerce.number().int().min(1).default(10),
  /** New Convoso dead letters over the last hour ⇒ alert. */
  ALERT_DEAD_LETTERS_PER_HOUR: z.coerce.number().int().min(1).default(1),
  /** Webhook events that failed over the last 15 minutes ⇒ alert. */
  ALERT_WEBHOOK_FAILURES: z.coerce.number().int().min(1).default(1),
};
