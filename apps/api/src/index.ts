/** The HTTP API: `buildApp` for tests and the all-in-one start, `main.ts` for `pnpm start:api`. */
export { type AppOptions, buildApp } from "./app.ts";
export { type ApiConfig, apiConfigSchema } from "./config.ts";
