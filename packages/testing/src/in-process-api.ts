import { type AppOptions, buildApp } from "@redial/api";
import { type Runtime, type RuntimeOptions, startRuntime, updateCalendar } from "@redial/services";
import type { FastifyInstance } from "fastify";

export interface InProcessApi {
  runtime: Runtime;
  api: FastifyInstance;
  /** Where it listens (a free port of 127.0.0.1): the PUBLIC_URL Bland's webhooks are sent to. */
  url: string;
}

/**
 * The API on a runtime of its own, listening on a free local port: the in-process loops of the
 * worker tests and of `pnpm bench`. `calendar` replaces the stored campaign calendar first (the
 * simulator's OPEN_CALENDAR keeps every lead inside its window).
 */
export async function startApiInProcess(options: {
  runtime: RuntimeOptions;
  app: Omit<AppOptions, "ctx" | "onCalendarChange">;
  calendar?: unknown;
}): Promise<InProcessApi> {
  const runtime = await startRuntime(options.runtime);
  try {
    if (options.calendar !== undefined) {
      await updateCalendar(runtime.ctx.db, options.calendar);
      await runtime.invalidateCalendar();
    }
    const api = await buildApp({
      ...options.app,
      // One local sender far above any production pace (the loops of tests, the bench): no
      // webhook rate limit unless the caller sets one.
      limits: { webhooksPerMinute: null, ...options.app.limits },
      ctx: runtime.ctx,
      onCalendarChange: runtime.invalidateCalendar,
      databaseUrl: options.runtime.databaseUrl,
    });
    const url = await api.listen({ port: 0, host: "127.0.0.1" });
    return { runtime, api, url };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
