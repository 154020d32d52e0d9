import pg from "pg";

/** Statements one connection keeps prepared; later new ones run unnamed. */
const MAX_PREPARED = 200;
/** Distinct statements remembered as seen once, before the memory starts afresh. */
const MAX_SEEN = 500;
/**
 * Longer statements are never prepared nor remembered: bulk inserts, whose planning is small
 * next to their work (the loop's and pg-boss's longest is ~3 kB); memory stays bounded.
 */
const MAX_TEXT_LENGTH = 16_384;

type QueryArgs = Parameters<pg.Client["query"]>;

/**
 * A pg client that runs a parameterized statement it has seen before as a named prepared
 * statement of its session, so PostgreSQL parses it once per connection and, for the dial loop's
 * short statements, plans it once too (its generic plan): planning alone was 42% of the loop's
 * statement time (pg_stat_statements, README "Performance"). A statement seen once (a bulk
 * insert of an odd size) stays unnamed; at most MAX_PREPARED are kept per connection.
 *
 * A prepared statement can go stale: a migration that adds a column changes what `SELECT *`
 * returns ("cached plan must not change result type"), and a pooler's DISCARD ALL drops it. The
 * client then forgets it (the next use prepares it afresh under a new name) and, when no
 * transaction was open, runs the statement again at once; inside a transaction the error stands,
 * as any failed statement does, and the caller's transaction fails.
 */
export class PreparingClient extends pg.Client {
  readonly #names = new Map<string, string>();
  readonly #seen = new Set<string>();
  #lastName = 0;
  /** From the server's last ReadyForQuery: I idle, T in a transaction, E in a failed one. */
  #transactionStatus = "I";

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const connection = (this as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.on("readyForQuery", (message: { status?: string }) => {
      this.#transactionStatus = message.status ?? this.#transactionStatus;
    });
  }

  /** How many statements this connection has prepared (tests, diagnostics). */
  get preparedCount(): number {
    return this.#names.size;
  }

  // @ts-expect-error pg's overloads: every form is passed through but (text, values[, callback]).
  override query(...args: QueryArgs): unknown {
    const [text, values, callback] = args as unknown[];
    if (
      typeof text !== "string" ||
      !Array.isArray(values) ||
      values.length === 0 ||
      text.length > MAX_TEXT_LENGTH
    )
      return (super.query as (...a: unknown[]) => unknown)(...args);
    const result = this.#run(text, values);
    if (typeof callback !== "function") return result;
    // pg.Pool's query() passes a callback.
    result.then(
      (value) => callback(null, value),
      (error: unknown) => callback(error),
    );
    return undefined;
  }

  #run(text: string, values: unknown[]): Promise<pg.QueryResult> {
    const name = this.#nameFor(text);
    if (name === undefined) return super.query(text, values);
    const idle = this.#transactionStatus === "I";
    return super.query({ name, text, values }).catch((error: unknown) => {
      if (!isStale(error)) throw error;
      this.#names.delete(text);
      if (!idle) throw error;
      const fresh = this.#nameFor(text);
      return fresh === undefined ? super.query(text, values) : super.query({ name: fresh, text, values });
    });
  }

  #nameFor(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined) return known;
    if (!this.#seen.has(text)) {
      if (this.#seen.size >= MAX_SEEN) this.#seen.clear();
      this.#seen.add(text);
      return undefined;
    }
    if (this.#names.size >= MAX_PREPARED) return undefined;
    const name = `redial_${++this.#lastName}`;
    this.#names.set(text, name);
    return name;
  }
}

/** A prepared statement the server can no longer run as prepared. */
function isStale(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  // 26000: it no longer exists (DISCARD ALL); 0A000 with this message: its result columns changed.
  return (
    code === "26000" ||
    (code === "0A000" && (message ?? "").includes("cached plan must not change result type"))
  );
}
