/**
 * PostgreSQL takes at most 65535 parameters per statement and SQLite 32766;
 * statements are split to stay under both.
 */
export const MAX_PARAMS_PER_STATEMENT = 30_000;

/** Collects parameters in order and hands out the dialect's placeholder for each. */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly postgres: boolean) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
}
