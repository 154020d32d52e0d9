export type BackfillErrorCode = "invalid_range" | "nothing_to_resume" | "source_unreadable";

/** Why a backfill cannot start; the message says what to do instead. */
export class BackfillError extends Error {
  readonly code: BackfillErrorCode;
  constructor(code: BackfillErrorCode, message: string) {
    super(message);
    this.name = "BackfillError";
    this.code = code;
  }
}

export class InvalidBackfillRange extends BackfillError {
  constructor(detail: string) {
    super(
      "invalid_range",
      `Invalid backfill range: ${detail}. Pass --from and --to as YYYY-MM-DD, from ≤ to.`,
    );
    this.name = "InvalidBackfillRange";
  }
}

export class NothingToResume extends BackfillError {
  constructor(key: string) {
    super(
      "nothing_to_resume",
      `No interrupted backfill of ${key} to resume. Run it without --resume (it is idempotent).`,
    );
    this.name = "NothingToResume";
  }
}

export class SourceUnreadable extends BackfillError {
  constructor(what: string, cause: string) {
    super("source_unreadable", `Cannot read ${what}: ${cause}. Check the path and permissions.`);
    this.name = "SourceUnreadable";
  }
}

/** A short reason for an unexpected error, for the failures list. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
