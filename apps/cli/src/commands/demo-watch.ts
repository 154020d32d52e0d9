import type { Db } from "@redial/db";
import { sql } from "kysely";

interface AttemptLine {
  id: number;
  state: "dialing" | "in_progress" | "ended" | "not_placed";
  outcome: string | null;
  dialed_at: Date;
  ended_at: Date | null;
  phone: string;
  zone: string;
  status: string;
  final_outcome: string | null;
  next_attempt_at: Date | null;
  waiting_reason: string | null;
}

/**
 * Print each call as it is placed and each result as it is recorded, read from the demo's
 * database once a second. Times are the lead's local time, so every call is seen inside the
 * legal 08:00–21:00. Resolves a stop function.
 */
export function watchCalls(db: Db, write: (line: string) => void): () => Promise<void> {
  const announced = new Set<number>();
  const settled = new Set<number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const floor = Math.min(...[...announced].filter((id) => !settled.has(id)), Number.MAX_SAFE_INTEGER);
      const lastAnnounced = Math.max(0, ...announced);
      for (const line of await attemptsFrom(db, Math.min(floor, lastAnnounced + 1))) {
        if (!announced.has(line.id)) {
          announced.add(line.id);
          write(`${local(line.dialed_at, line.zone)}  call    ${line.phone}  (attempt ${line.id})`);
        }
        if (!settled.has(line.id) && (line.state === "ended" || line.state === "not_placed")) {
          settled.add(line.id);
          const at = line.ended_at ?? line.dialed_at;
          write(`${local(at, line.zone)}  result  ${line.phone}  ${describeResult(line)}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

async function attemptsFrom(db: Db, fromId: number): Promise<AttemptLine[]> {
  const { rows } = await sql<AttemptLine>`
    SELECT a.id::int AS id, a.state, a.outcome, a.dialed_at, a.ended_at, l.phone,
      l.timezones[1] AS zone, l.status, l.final_outcome, l.next_attempt_at, l.waiting_reason
    FROM call_attempts a JOIN leads l ON l.id = a.lead_id
    WHERE a.id >= ${fromId} ORDER BY a.id`.execute(db);
  return rows;
}

function describeResult(line: AttemptLine): string {
  if (line.state === "not_placed") return "not placed (Bland did not take it)";
  const outcome = line.outcome ?? "?";
  if (line.status === "completed") return `${outcome}: done (${line.final_outcome})`;
  const next = line.next_attempt_at ? `next call at ${local(line.next_attempt_at, line.zone)}` : "";
  return `${outcome}: ${next || line.waiting_reason || line.status}`;
}

/** "14:03:05 CST" in the lead's zone. */
function local(at: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  }).format(at);
}
