import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import pRetry from "p-retry";

/** A supervised child that exited without being asked to: p-retry's reason to start it again. */
export class ChildExited extends Error {
  readonly code = "child_exited" as const;
  readonly child: string;
  readonly how: string;
  constructor(child: string, how: string) {
    super(`${child} exited (${how})`);
    this.name = "ChildExited";
    this.child = child;
    this.how = how;
  }
}

export interface SupervisedChild {
  /** SIGTERM to the running child (it finishes its work), wait for it to exit; no restart after. */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  name: string;
  /** The TypeScript entry point, run with this process's Node and its flags. */
  entry: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** A child that ran this long before it exited is restarted at once, its backoff reset (default 60 s). */
  healthyAfterMs?: number;
  /** First and longest wait before a restart (default 1 s, doubling up to 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** After SIGTERM, SIGKILL when the child has not exited within this (default 60 s). */
  stopTimeoutMs?: number;
}

/**
 * Run `entry` as a child process and start it again whenever it exits on its own, waiting 1 s,
 * 2 s, 4 s… (up to 30 s) between restarts of a child that keeps dying, and saying so in the log.
 *
 * The child gets a process group of its own (so a Ctrl-C in the terminal reaches only the
 * supervisor, which stops the children in order) and an IPC channel, whose closing tells the
 * child its supervisor is gone (stopOnSignals in @redial/config), so none outlives a killed one.
 */
export function superviseChild(options: SupervisorOptions): SupervisedChild {
  const stopping = new AbortController();
  let current: ChildProcess | undefined;

  const runOnce = async (): Promise<void> => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [...childNodeFlags(), options.entry], {
      env: options.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      detached: true,
    });
    current = child;
    options.log(`${options.name} started (pid ${child.pid})`);
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    current = undefined;
    if (stopping.signal.aborted) return;
    const error = new ChildExited(options.name, signal ?? `code ${code}`);
    if (Date.now() - startedAt < (options.healthyAfterMs ?? 60_000)) throw error;
    options.log(`${error.message}; restarting it now`);
  };

  const supervised = (async () => {
    while (!stopping.signal.aborted) {
      await pRetry(runOnce, {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: options.minBackoffMs ?? 1000,
        maxTimeout: options.maxBackoffMs ?? 30_000,
        factor: 2,
        signal: stopping.signal,
        onFailedAttempt: ({ error, retryDelay, attemptNumber }) =>
          options.log(
            `${error.message}; restarting it in ${(retryDelay / 1000).toFixed(1)} s (restart ${attemptNumber})`,
          ),
      }).catch((error: unknown) => {
        if (!stopping.signal.aborted) throw error;
      });
    }
  })();

  return {
    async stop() {
      stopping.abort();
      const child = current;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        const timer = setTimeout(() => {
          options.log(`${options.name} did not stop in time; killing it`);
          child.kill("SIGKILL");
        }, options.stopTimeoutMs ?? 60_000);
        await exited;
        clearTimeout(timer);
      }
      await supervised;
    },
  };
}

/** This process's Node flags (type stripping on Node 22), without --env-file: the child's environment is given whole. */
function childNodeFlags(): string[] {
  return process.execArgv.filter((flag) => !flag.startsWith("--env-file"));
}
