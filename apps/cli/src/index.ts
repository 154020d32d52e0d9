/** What the operator's CLI offers other workspaces (the backfill memory bench runs its backfill as `pnpm backfill` does). */
export { backfillBland } from "./commands/backfill-command.ts";
