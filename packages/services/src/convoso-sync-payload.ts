import type { ConvosoSyncPayload } from "@redial/jobs";
import type { RedialContext } from "./context.ts";

/**
 * The convoso-sync job of an outcome (the lead's status in Convoso by the outcome map; `dnc`: its
 * phone onto Convoso's DNC list), or null when outcomes are not sent to Convoso (CONVOSO_SYNC_ENABLED).
 */
export function convosoSyncPayload(
  ctx: Pick<RedialContext, "syncToConvoso">,
  sync: { leadId: number; attemptId?: number; outcome: string; dnc: boolean } | null,
): ConvosoSyncPayload | null {
  if (!ctx.syncToConvoso || sync === null) return null;
  return {
    leadId: sync.leadId,
    ...(sync.attemptId !== undefined ? { attemptId: sync.attemptId } : {}),
    outcome: sync.outcome,
    dnc: sync.dnc,
  };
}
