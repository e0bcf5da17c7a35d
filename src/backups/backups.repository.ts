import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { TABLE_NAMES, TableName } from '../common/tables';
import { DatabaseKind } from '../database/data-source-options';
import { SqlParams } from '../database/sql-params';
import { BackupFileRecord, BackupOrigin, BackupRecord, BackupRef, BackupStatus } from './backup-record';

export interface BackupStart {
  readonly origin: BackupOrigin;
  readonly databaseKind: DatabaseKind | null;
  readonly requestId: string | null;
}

type Row = Record<string, unknown>;

const BACKUP_COLUMNS = 'id, file_key, status, origin, database_kind, created_at, finished_at, detail, request_id';
const FILE_COLUMNS = 'backup_id, table_name, row_count, byte_count, sha256, file_name';

/**
 * The records of backups and their files, in plain SQL (both dialects). On
 * SQLite, callers write them inside TransactionRunner.exclusive: a record
 * written while an ingestion's transaction holds the one connection would
 * vanish with that transaction's rollback.
 */
@Injectable()
export class BackupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async start(start: BackupStart): Promise<BackupRef> {
    const fileKey = randomBytes(8).toString('hex');
    const params = this.params();
    const values = [fileKey, 'running', start.origin, start.databaseKind, new Date().toISOString(), start.requestId].map((v) => params.add(v));
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO backups (file_key, status, origin, database_kind, created_at, request_id) VALUES (${values.join(', ')}) RETURNING id`,
      params.values,
    );
    return { id: Number(rows[0].id), fileKey };
  }

  /** Records the files and marks the backup completed, together. */
  async complete(id: number, files: readonly BackupFileRecord[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const file of files) {
        const params = this.params();
        const values = [id, file.table, file.rows, file.bytes, file.sha256, file.fileName].map((v) => params.add(v));
        await manager.query(`INSERT INTO backup_files (${FILE_COLUMNS}) VALUES (${values.join(', ')})`, params.values);
      }
      await this.finish(manager, id, 'completed', null);
    });
  }

  async fail(id: number, detail: string): Promise<void> {
    await this.finish(this.dataSource.manager, id, 'failed', detail);
  }

  /** Newest first. */
  async findPage(limit: number, offset: number): Promise<[BackupRecord[], number]> {
    const params = this.params();
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${BACKUP_COLUMNS} FROM backups ORDER BY id DESC LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
    const [{ total }] = (await this.dataSource.query('SELECT COUNT(*) AS total FROM backups')) as Row[];
    const files = await this.filesOf(rows.map((row) => Number(row.id)));
    return [rows.map((row) => toRecord(row, files.get(Number(row.id)) ?? [])), Number(total)];
  }

  async findById(id: number): Promise<BackupRecord | null> {
    const params = this.params();
    const [row] = (await this.dataSource.query(`SELECT ${BACKUP_COLUMNS} FROM backups WHERE id = ${params.add(id)}`, params.values)) as Row[];
    if (!row) return null;
    return toRecord(row, (await this.filesOf([id])).get(id) ?? []);
  }

  private async finish(manager: EntityManager, id: number, status: BackupStatus, detail: string | null): Promise<void> {
    const params = this.params();
    await manager.query(
      `UPDATE backups SET status = ${params.add(status)}, finished_at = ${params.add(new Date().toISOString())}, ` +
        `detail = ${params.add(detail)} WHERE id = ${params.add(id)}`,
      params.values,
    );
  }

  private async filesOf(ids: readonly number[]): Promise<Map<number, BackupFileRecord[]>> {
    const byBackup = new Map<number, BackupFileRecord[]>();
    if (ids.length === 0) return byBackup;
    // A page holds at most MAX_PAGE_SIZE backups: one IN list stays far below the parameter limit.
    const params = this.params();
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${FILE_COLUMNS} FROM backup_files WHERE backup_id IN (${ids.map((id) => params.add(id)).join(', ')})`,
      params.values,
    );
    for (const row of rows) {
      const id = Number(row.backup_id);
      const files = byBackup.get(id) ?? [];
      files.push({
        table: row.table_name as TableName,
        rows: Number(row.row_count),
        bytes: Number(row.byte_count),
        sha256: String(row.sha256),
        fileName: String(row.file_name),
      });
      byBackup.set(id, files);
    }
    for (const files of byBackup.values()) files.sort((a, b) => TABLE_NAMES.indexOf(a.table) - TABLE_NAMES.indexOf(b.table));
    return byBackup;
  }

  private params(): SqlParams {
    return new SqlParams(this.dataSource.options.type === 'postgres');
  }
}

function toRecord(row: Row, files: BackupFileRecord[]): BackupRecord {
  return {
    id: Number(row.id),
    fileKey: String(row.file_key),
    status: row.status as BackupStatus,
    origin: row.origin as BackupOrigin,
    databaseKind: (row.database_kind as DatabaseKind | null) ?? null,
    createdAt: instant(row.created_at) as string,
    finishedAt: instant(row.finished_at),
    detail: (row.detail as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    files,
  };
}

/** timestamptz comes back from PostgreSQL as a Date, the ISO text from SQLite as it was stored. */
function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}
