import { TableName } from '../common/tables';
import { DatabaseKind } from '../database/data-source-options';

/** running: files being written or received; completed: every file recorded and restorable; failed: nothing usable kept. */
export const BACKUP_STATUSES = ['running', 'completed', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/** backup: taken from this service's database (POST /backups); upload: files sent to POST /backups/upload. */
export const BACKUP_ORIGINS = ['backup', 'upload'] as const;
export type BackupOrigin = (typeof BACKUP_ORIGINS)[number];

export interface BackupFileRecord {
  readonly table: TableName;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Its name in backups.dir. */
  readonly fileName: string;
}

/** What names a backup's files: its id and the random key made when it was recorded. */
export interface BackupRef {
  readonly id: number;
  readonly fileKey: string;
}

export interface BackupRecord extends BackupRef {
  readonly status: BackupStatus;
  readonly origin: BackupOrigin;
  /** The database the rows were read from; null for an upload. */
  readonly databaseKind: DatabaseKind | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly detail: string | null;
  readonly requestId: string | null;
  /** In table order: departments, jobs, employees. */
  readonly files: readonly BackupFileRecord[];
}
