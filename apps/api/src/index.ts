/** The HTTP API: `buildApp` for tests and the all-in-one start, `startApiInProcess` for in-process loops, `main.ts` for `pnpm start:api`. */
export { type AppOptions, buildApp } from "./app.ts";
export { type ApiConfig, apiConfigSchema } from "./config.ts";
export { type InProcessApi, startApiInProcess } from "./in-process.ts";
