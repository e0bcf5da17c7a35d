import { CheckedRow } from '../pipeline/pipeline.types';

/**
 * The write stage of the pipeline for one ingestion, inside its transaction.
 * Rows arrive resolved: `insert` gets rows known to be new, `upsert` rows to
 * insert or replace by id, in file order: an id may come again (in the same
 * call or a later one) marked `repeat`, and the last row wins. A writer may
 * return before its write is done, so reading and checking the next chunk
 * overlap with the database's work; `finish` waits for everything and raises
 * the first write error.
 */
export interface RowWriter {
  insert(rows: readonly CheckedRow[]): Promise<void>;
  upsert(rows: readonly CheckedRow[]): Promise<void>;
  finish(): Promise<void>;
  /** Waits until the connection is free for a lookup (and sees every row written so far). */
  settle(): Promise<void>;
  /**
   * The ingestion is failing: frees the connection for the rollback without
   * finishing pending work, and returns the first write error, if any (the
   * likely cause of the failure).
   */
  abort(): Promise<unknown>;
  /** Whether `upsertCounts` tells inserted from updated (then no lookup is needed to count them). */
  readonly countsUpserts: boolean;
  /**
   * Once `finish` has resolved: rows the upserts inserted and updated (when
   * `countsUpserts`), and of the rows counted as updated (here or by the
   * pipeline's lookups), those identical to the stored row: left unchanged.
   * Only rows not marked `repeat` count, each against the row stored before
   * the upload (the pipeline counts repeats itself).
   */
  upsertCounts(): { inserted: number; updated: number; unchanged: number };
}
