/** What stopOnSignals logs through (a pino logger fits). */
export interface StopLog {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface StopOnSignalsOptions {
  /** The process's name in the log lines ("api", "worker"…). */
  name: string;
  log: StopLog;
  /** Stop taking work, finish what is in flight, close pools. */
  stop: () => Promise<void>;
  /** Past this, the process exits with code 1 even if `stop` has not finished. */
  timeoutMs: number;
}

/**
 * The one way a process stops: on SIGTERM or SIGINT (and, when a supervisor started it with an IPC
 * channel, when that channel closes because the supervisor died), `stop` runs once, then the
 * process exits 0 — or 1 when `stop` failed or outlived `timeoutMs`. A second signal while
 * stopping is ignored: the first one's stop is already under way.
 */
export function stopOnSignals(options: StopOnSignalsOptions): void {
  let stopping = false;
  const run = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    options.log.info({ reason }, `${options.name} stopping`);
    const deadline = setTimeout(() => {
      options.log.error({ timeoutMs: options.timeoutMs }, `${options.name} did not stop in time; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    try {
      await options.stop();
      options.log.info({}, `${options.name} stopped`);
      process.exitCode = 0;
    } catch (error) {
      options.log.error({ err: error }, `${options.name} stop failed`);
      process.exitCode = 1;
    } finally {
      clearTimeout(deadline);
    }
    process.exit();
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void run(signal));
  if (process.send) process.once("disconnect", () => void run("supervisor gone"));
}
