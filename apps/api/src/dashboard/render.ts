import type { FastifyReply, FastifyRequest } from "fastify";

/** The console's pages, in the order of its navigation. */
export const PAGES = [
  ["today", "Today", "/dashboard"],
  ["queue", "Queue", "/dashboard/queue"],
  ["leads", "Leads", "/dashboard/leads"],
  ["calls", "Calls", "/dashboard/calls"],
  ["health", "Health", "/dashboard/health"],
  ["reports", "Reports", "/dashboard/reports"],
  ["config", "Config", "/dashboard/config"],
] as const;

export type PageName = (typeof PAGES)[number][0];

/** Render a page inside the layout: navigation, who is logged in, the CSRF token for its forms. */
export function page(
  request: FastifyRequest,
  reply: FastifyReply,
  name: PageName,
  title: string,
  data: Record<string, unknown>,
) {
  return reply.view(`${name}.eta`, {
    ...data,
    layout: {
      pages: PAGES,
      current: name,
      title,
      actor: request.actor?.name ?? "",
      csrf: reply.generateCsrf(),
    },
  });
}

/** Money and rates as the pages print them. */
export const format = {
  money: (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : `$${value.toFixed(2)}`,
  pct: (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`,
  time: (value: string | Date | null | undefined) =>
    value ? new Date(value).toISOString().replace("T", " ").slice(0, 19) : "—",
};
