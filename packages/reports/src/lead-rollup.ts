import { type RawBuilder, sql } from "kysely";

/**
 * Leads created in [start, end), read from the report_leads rollup (migration 0005): the whole UTC
 * hours inside the range from the rollup, the part-hours at either end (a campaign day that starts
 * at :30 UTC) from leads through its created_at index. Exact for any timezone.
 */
interface HourSplit {
  /** First whole hour inside the range. */
  hours: RawBuilder<Date>;
  /** End of the last whole hour inside the range. */
  hoursEnd: RawBuilder<Date>;
  /** Where the leading part-hour stops: the first whole hour, or `end` when there is none. */
  headEnd: RawBuilder<Date>;
  /** Where the trailing part-hour starts. */
  tailStart: RawBuilder<Date>;
}

function splitHours(start: RawBuilder<Date>, end: RawBuilder<Date>): HourSplit {
  // Scalar subqueries: computed once per query (an InitPlan), not once per rollup row.
  const hours = sql<Date>`(SELECT date_trunc('hour', ${start} + interval '1 hour' - interval '1 microsecond', 'UTC'))`;
  const hoursEnd = sql<Date>`(SELECT date_trunc('hour', ${end}, 'UTC'))`;
  const headEnd = sql<Date>`least(${hours}, ${end})`;
  return { hours, hoursEnd, headEnd, tailStart: sql<Date>`greatest(${hoursEnd}, ${headEnd})` };
}

/**
 * Rows (status, final_outcome, last_outcome, ever_transferred, n): the leads created in
 * [start, end) by where they stand. `ever_transferred`: at least one call with transferred = true.
 */
export function leadGroupsCreated(start: RawBuilder<Date>, end: RawBuilder<Date>): RawBuilder<unknown> {
  const h = splitHours(start, end);
  const raw = (from: RawBuilder<Date>, to: RawBuilder<Date>) => sql`
    SELECT l.status, l.final_outcome, l.last_outcome,
           EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = l.id) AS ever_transferred,
           1::bigint AS n
    FROM leads l WHERE l.created_at >= ${from} AND l.created_at < ${to}`;
  return sql`
    SELECT status, final_outcome, last_outcome, ever_transferred, leads AS n FROM report_leads
    WHERE created_hour >= ${h.hours} AND created_hour < ${h.hoursEnd}
    UNION ALL ${raw(start, h.headEnd)}
    UNION ALL ${raw(h.tailStart, end)}`;
}

/** The number of leads created in [start, end), as a scalar SQL expression. */
export function leadsCreatedCount(start: RawBuilder<Date>, end: RawBuilder<Date>): RawBuilder<number> {
  const h = splitHours(start, end);
  const raw = (from: RawBuilder<Date>, to: RawBuilder<Date>) =>
    sql`(SELECT count(*) FROM leads WHERE created_at >= ${from} AND created_at < ${to})`;
  return sql<number>`(
    (SELECT coalesce(sum(leads), 0) FROM report_leads
     WHERE created_hour >= ${h.hours} AND created_hour < ${h.hoursEnd})
    + ${raw(start, h.headEnd)} + ${raw(h.tailStart, end)})::int`;
}
