/** The HTTP API: `buildApp` for tests, the all-in-one start and the in-process loops (@redial/testing), `main.ts` for `pnpm start:api`. */
export { type AppOptions, buildApp } from "./app.ts";
export { type ApiConfig, apiConfigSchema } from "./config.ts";
