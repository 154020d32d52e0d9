import type { BackfillProgress } from "@redial/services";
import cliProgress from "cli-progress";

export interface ProgressReporter {
  update(progress: BackfillProgress): void;
  stop(): void;
}

const PHASE_LABEL = { import: "importing calls", check: "checking phones" } as const;

/** A cli-progress bar with rate and ETA on a terminal; plain lines every `everyItems` or `everyMs` otherwise. */
export function createProgressReporter(options: {
  isTTY: boolean;
  write: (line: string) => void;
  everyItems?: number;
  everyMs?: number;
  now?: () => number;
}): ProgressReporter {
  return options.isTTY ? barReporter() : lineReporter(options);
}

function barReporter(): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let phase: BackfillProgress["phase"] | undefined;
  let startedAt = Date.now();
  return {
    update(p) {
      if (phase !== p.phase) {
        bar?.stop();
        phase = p.phase;
        startedAt = Date.now();
        bar = new cliProgress.SingleBar(
          {
            format: `${PHASE_LABEL[p.phase].padEnd(16)} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(p.total ?? 0, p.done), p.done, { rate: "0" });
      }
      if (p.total !== undefined && p.total < p.done) bar?.setTotal(p.done);
      const seconds = (Date.now() - startedAt) / 1000;
      bar?.update(p.done, { rate: seconds > 0 ? (p.done / seconds).toFixed(0) : "0" });
    },
    stop: () => bar?.stop(),
  };
}

function lineReporter(options: {
  write: (line: string) => void;
  everyItems?: number;
  everyMs?: number;
  now?: () => number;
}): ProgressReporter {
  const now = options.now ?? Date.now;
  const everyItems = options.everyItems ?? 1000;
  const everyMs = options.everyMs ?? 5000;
  let phase: BackfillProgress["phase"] | undefined;
  let startedAt = now();
  let lastAt = 0;
  let lastDone = 0;
  return {
    update(p) {
      const t = now();
      if (phase !== p.phase) {
        phase = p.phase;
        startedAt = t;
        lastAt = t;
        lastDone = 0;
      }
      if (p.done - lastDone < everyItems && t - lastAt < everyMs && p.done !== p.total) return;
      lastAt = t;
      lastDone = p.done;
      options.write(progressLine(p, (t - startedAt) / 1000));
    },
    stop() {},
  };
}

/** "importing calls: 12,000 / ~50,000 (24%) at 850/s, ETA 45s" */
export function progressLine(p: BackfillProgress, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? p.done / elapsedSeconds : 0;
  const n = (x: number) => x.toLocaleString("en-US");
  if (p.total === undefined || p.total <= 0)
    return `${PHASE_LABEL[p.phase]}: ${n(p.done)} at ${rate.toFixed(0)}/s`;
  const left = Math.max(0, p.total - p.done);
  const eta = rate > 0 ? `${Math.ceil(left / rate)}s` : "?";
  const approx = p.phase === "import" ? "~" : "";
  const pct = Math.min(100, Math.floor((p.done / p.total) * 100));
  return `${PHASE_LABEL[p.phase]}: ${n(p.done)} / ${approx}${n(p.total)} (${pct}%) at ${rate.toFixed(0)}/s, ETA ${eta}`;
}
