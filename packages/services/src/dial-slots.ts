import type { Db } from "@redial/db";
import { sql } from "kysely";

/**
 * Create the DIAL_MAX_CONCURRENT slots (a worker at start, before its first dial: creating them
 * inside a dial would make concurrent first dials wait on each other's rows). A dial takes one
 * (redial_write_dial), the trigger of its attempt gives it back.
 */
export async function ensureDialSlots(db: Db, maxConcurrent: number): Promise<void> {
  await sql`SELECT dial_slots_ensure(${maxConcurrent})`.execute(db);
}
