import type { CallResult } from "./call-result.ts";
import { quoted } from "./call-signals.ts";

/** What the transfer fields say: a connected transfer, a failed one, nothing, or no fields at all. */
export type TransferFacts =
  | { kind: "connected"; source: string; reason: string }
  | { kind: "not_connected"; reason: string }
  | { kind: "no_fields" };

const TRANSFER_FIELDS = [
  "transferred_to",
  "transferred_at",
  "warm_transfer_call",
  "warm_transfer_calls",
] as const satisfies ReadonlyArray<keyof CallResult>;

/**
 * A transfer happened when a warm transfer MERGED, or (no warm transfer) `transferred_to` is set.
 * A warm transfer in any other state (FAILED: "Agent line busy") did not connect, whatever number
 * it tried. Transfer fields present but empty (the false-transfer incident: a TRANSFERRED tag with
 * transferred_to, transferred_at and warm_transfer_call all null) mean no transfer; only a body
 * without any transfer field (not Bland's full call object) lets a transfer label decide alone.
 */
export function transferFacts(result: CallResult): TransferFacts {
  const warm = [result.warm_transfer_call, ...(result.warm_transfer_calls ?? [])].filter(
    (call): call is { state?: string | null } => call !== null && call !== undefined,
  );
  const merged = warm.find((call) => (call.state ?? "").trim().toUpperCase() === "MERGED");
  if (merged)
    return { kind: "connected", source: "warm_transfer_call", reason: 'warm_transfer_call.state: "MERGED"' };
  const failed = warm.find((call) => (call.state ?? "").trim() !== "");
  if (failed)
    return { kind: "not_connected", reason: quoted("warm_transfer_call.state", failed.state ?? "") };
  const to = (result.transferred_to ?? "").trim();
  if (to !== "") return { kind: "connected", source: "transferred_to", reason: quoted("transferred_to", to) };
  if (TRANSFER_FIELDS.some((field) => field in result))
    return {
      kind: "not_connected",
      reason: "transferred_to, transferred_at and warm_transfer_call are empty",
    };
  return { kind: "no_fields" };
}
