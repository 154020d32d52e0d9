/** @redial/notify — the daily report and the alerts, sent by email (nodemailer over SMTP) and/or Slack. */
export {
  createNotifier,
  type Delivery,
  type Notice,
  type Notifier,
  type NotifierConfig,
} from "./notifier.ts";
