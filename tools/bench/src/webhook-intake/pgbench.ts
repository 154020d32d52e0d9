import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * `pgbench -N` (TPC-B without the teller and branch updates: one UPDATE, one SELECT, one INSERT per
 * transaction) against `url`, initialised first (`pgbench -i`): the transactions/s this server
 * commits for a simple write, the floor webhook intake is measured against.
 */
export async function pgbenchSimpleUpdates(
  url: string,
  options: { clients: number; seconds: number; initialized: boolean },
): Promise<number> {
  const bin = process.env.PGBENCH ?? "pgbench";
  if (!options.initialized) await run(bin, ["-i", "-q", url]);
  const { stdout } = await run(bin, [
    "-N",
    "-n",
    "-c",
    String(options.clients),
    "-j",
    "2",
    "-T",
    String(options.seconds),
    url,
  ]);
  const match = /tps = ([0-9.]+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return Number(match[1]);
}
