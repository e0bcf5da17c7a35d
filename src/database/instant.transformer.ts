import { ValueTransformer } from 'typeorm';

/**
 * Instants are `timestamptz` on PostgreSQL (the driver hands back a Date) and
 * fixed-width ISO 8601 UTC text on SQLite (so text order is time order).
 * Either way the application sees an ISO 8601 string in UTC.
 */
export const instantTransformer: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value instanceof Date ? value.toISOString() : value),
};
