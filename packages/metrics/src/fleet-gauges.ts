import { Gauge, type Registry } from "prom-client";

/** Fleet-wide figures read from PostgreSQL at each scrape of the API's /metrics. */
export interface FleetFigures {
  /** Leads by the reports' own groups (active_for_redialing, daily_max_reached, paused, completed_sale…). */
  leads: Record<string, number>;
  /** Today's calls (campaign day) by the statistics' names (total_calls, answered, transferred, sales…). */
  callsToday: Record<string, number>;
  callsInFlight: number;
  spendToday: number;
  /** DAILY_SPEND_LIMIT; null when unset. */
  spendLimit: number | null;
  queues: { name: string; queued: number; ready: number; active: number; failed: number }[];
  convosoSyncBacklog: number;
  convosoDeadLetters: number;
  fleetPaused: boolean;
  workersAlive: number;
  /** Open alert incidents by rule. */
  openIncidents: string[];
}

/**
 * Gauges over `read` (one read per scrape, shared by every gauge: a scrape asks each gauge in turn).
 * The figures come from the reports and pg-boss, so they are the fleet's whatever process serves them.
 */
export function registerFleetGauges(
  registry: Registry,
  read: () => Promise<FleetFigures>,
  options: { alertRules: readonly string[] },
): void {
  let current: { at: number; figures: Promise<FleetFigures> } | undefined;
  const figures = () => {
    if (!current || Date.now() - current.at > 1000) current = { at: Date.now(), figures: read() };
    return current.figures;
  };
  const registers = [registry];
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, f: FleetFigures) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        fill(this, await figures());
      },
    });

  gauge("redial_leads", "Leads by the reports' groups (packages/reports/README.md)", ["group"], (g, f) => {
    for (const [group, n] of Object.entries(f.leads)) g.set({ group }, n);
  });
  gauge("redial_calls_today", "Today's calls (campaign day) by the statistics' names", ["figure"], (g, f) => {
    for (const [figure, n] of Object.entries(f.callsToday)) g.set({ figure }, n);
  });
  gauge("redial_calls_in_flight", "Calls dialing or in progress now", [], (g, f) => g.set(f.callsInFlight));
  gauge("redial_spend_today_dollars", "The cost of today's calls (campaign day)", [], (g, f) =>
    g.set(f.spendToday),
  );
  gauge("redial_spend_limit_dollars", "DAILY_SPEND_LIMIT (absent when unset)", [], (g, f) => {
    if (f.spendLimit !== null) g.set(f.spendLimit);
  });
  gauge("redial_queue_jobs", "pg-boss jobs by queue and state", ["queue", "state"], (g, f) => {
    for (const q of f.queues) {
      g.set({ queue: q.name, state: "queued" }, q.queued);
      g.set({ queue: q.name, state: "ready" }, q.ready);
      g.set({ queue: q.name, state: "active" }, q.active);
      g.set({ queue: q.name, state: "failed" }, q.failed);
    }
  });
  gauge("redial_convoso_sync_backlog", "Outcomes waiting to be pushed to Convoso", [], (g, f) =>
    g.set(f.convosoSyncBacklog),
  );
  gauge("redial_convoso_dead_letters", "Outcomes that never reached Convoso (retries spent)", [], (g, f) =>
    g.set(f.convosoDeadLetters),
  );
  gauge("redial_fleet_paused", "1 while new dials are paused fleet-wide", [], (g, f) =>
    g.set(f.fleetPaused ? 1 : 0),
  );
  gauge("redial_workers_alive", "Workers whose heartbeat is recent", [], (g, f) => g.set(f.workersAlive));
  gauge("redial_alert_open", "1 while an alert rule has an open incident", ["rule"], (g, f) => {
    for (const rule of options.alertRules) g.set({ rule }, f.openIncidents.includes(rule) ? 1 : 0);
  });
}
