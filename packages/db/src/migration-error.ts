export type MigrationErrorCode = "edited_migration" | "migration_failed" | "repeatable_sql_failed";

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;
  constructor(code: MigrationErrorCode, message: string) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
  }
}
