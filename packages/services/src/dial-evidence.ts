import type { Lead } from "@redial/db";
import {
  type AttemptSnapshot,
  type DialEvidence,
  type DncCheck,
  dialEvidence,
  type SchedulerConfig,
} from "@redial/domain";
import type { RedialContext } from "./context.ts";

/**
 * The evidence of a dial the engine just decided for `lead` (its row and history as the decision
 * read them, at `now`): written with the attempt, in the same statement or transaction.
 * `checks` are the DNC checks made before the decision (Convoso's pre-dial check, when on); our own
 * list was found clear in the same read.
 */
export function evidenceOfDial(
  ctx: Pick<RedialContext, "policy">,
  lead: Lead,
  history: readonly AttemptSnapshot[],
  calendar: SchedulerConfig,
  now: Date,
  checks: readonly DncCheck[],
): DialEvidence {
  const internal: DncCheck = {
    list: "internal",
    checkedAt: now,
    listed: false,
    detail: "not on our DNC list",
  };
  return dialEvidence({
    lead,
    attempts: history,
    policy: ctx.policy,
    calendar,
    now,
    where: { phone: lead.phone, state: lead.state, zip: lead.zip },
    consent: lead.consent,
    dncChecks: [internal, ...checks],
  });
}

/** What CONVOSO_PREDIAL_CHECK answered, as a DNC check of the evidence. */
export function convosoCheck(checkedAt: Date, answer: string, failure?: unknown): DncCheck {
  if (failure !== undefined) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return {
      list: "convoso",
      checkedAt,
      listed: null,
      detail: `pre-dial check failed (${message}): dialed on our own DNC list`,
    };
  }
  return {
    list: "convoso",
    checkedAt,
    listed: answer === "dnc",
    detail: `pre-dial check: Convoso status ${answer}`,
  };
}
