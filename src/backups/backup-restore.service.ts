import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { ApiProblem } from '../common/api-problem';
import { TABLE_NAMES, TableName } from '../common/tables';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { IngestLookupRepository } from '../ingest/ingest-lookup.repository';
import { BackupFileRecord, BackupRecord } from './backup-record';
import { BackupRowsRepository } from './backup-rows.repository';
import { BackupStorage } from './backup-storage';
import { BackupsService } from './backups.service';
import { RestoreMode, RestoreQueryDto, RestoreReportDto, RestoreRequestDto, RestoreTableReportDto } from './dto/restore.dto';
import { asRestoreConflict } from './restore-conflict';
import { restoreTable } from './restore-table';

/** Errors listed in a 422 answer; the restore stops reading at this many. */
export const MAX_RESTORE_ERRORS = 100;

/**
 * Restores a completed backup into the database: every file is checked
 * against its recorded size and SHA-256 first, then the chosen tables are
 * loaded in one transaction (departments and jobs before employees), each
 * row re-checked as an upload's would be. Any error rolls everything back.
 */
@Injectable()
export class BackupRestoreService {
  private readonly logger = new Logger(BackupRestoreService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupsService,
    private readonly rows: BackupRowsRepository,
    private readonly lookups: IngestLookupRepository,
    private readonly storage: BackupStorage,
    private readonly transactions: TransactionRunner,
  ) {}

  async restore(id: number, query: RestoreQueryDto, body: RestoreRequestDto | undefined): Promise<RestoreReportDto> {
    const started = performance.now();
    const mode = modeOf(query, body);
    const backup = await this.backups.find(id);
    if (backup.status !== 'completed') {
      throw new ApiProblem(409, 'backup_not_complete', `backup ${id} is ${backup.status}; only a completed backup can be restored`, { backup_id: id });
    }
    const files = filesToRestore(backup, body?.tables);
    // Before the transaction: a damaged file is answered as such, never as rows that fail their checks.
    for (const file of files) await this.storage.verify(backup, file);
    const tables = await this.transactions
      .exclusive(() => this.transactions.inTransaction((queryRunner) => this.restoreIn(queryRunner, backup, files, mode)))
      .catch((error: unknown) => {
        throw asRestoreConflict(error);
      });
    const report: RestoreReportDto = { backup_id: id, mode, tables, duration_ms: Math.round(performance.now() - started) };
    this.logger.log({ msg: 'backup restored', restore: report });
    return report;
  }

  private async restoreIn(queryRunner: QueryRunner, backup: BackupRecord, files: readonly BackupFileRecord[], mode: RestoreMode): Promise<RestoreTableReportDto[]> {
    const tables = files.map((file) => file.table);
    await this.rows.lockForRestore(queryRunner, tables);
    const deleted = new Map<TableName, number>();
    if (mode === 'replace') {
      await this.assertNothingOrphaned(queryRunner, tables);
      // Children first: employees reference departments and jobs.
      for (const table of [...tables].reverse()) deleted.set(table, await this.rows.deleteAll(queryRunner, table));
    }
    const reports: RestoreTableReportDto[] = [];
    for (const file of files) {
      const outcome = await restoreTable(queryRunner, this.lookups, file.table, this.storage.records(backup, file.table), {
        mode,
        chunkRows: this.config.ingest.chunkRows,
        maxErrors: MAX_RESTORE_ERRORS,
      });
      if (outcome.errors.length > 0) {
        // The tables after this one would mostly repeat its errors as broken references: stop here.
        const n = outcome.errors.length;
        throw new ApiProblem(
          422,
          'restore_rows_rejected',
          `${outcome.errorsTruncated ? `at least ${n}` : n} error${n === 1 ? '' : 's'} in the ${file.table} rows of backup ${backup.id}; ` +
            'nothing was changed. The first are listed in errors.',
          { backup_id: backup.id, errors: outcome.errors.map((error) => ({ table: file.table, ...error })), errors_truncated: outcome.errorsTruncated },
        );
      }
      if (outcome.rowsRead !== file.rows) {
        throw new ApiProblem(
          422,
          'backup_corrupt',
          `the ${file.table} file of backup ${backup.id} cannot be used: it holds ${outcome.rowsRead} records; ${file.rows} were recorded`,
          { backup_id: backup.id, table: file.table },
        );
      }
      const { rowsRead, inserted, updated, unchanged, duplicateInFile } = outcome;
      reports.push({
        table: file.table,
        rows_read: rowsRead,
        deleted: deleted.get(file.table) ?? 0,
        inserted,
        updated,
        unchanged,
        duplicate_in_file: duplicateInFile,
      });
    }
    return reports;
  }

  /** replace empties the tables it restores; employees left in place would then name departments or jobs that are gone. */
  private async assertNothingOrphaned(queryRunner: QueryRunner, tables: readonly TableName[]): Promise<void> {
    const parents = tables.filter((table) => table !== 'employees');
    if (parents.length === 0 || tables.includes('employees') || !(await this.rows.hasRows(queryRunner, 'employees'))) return;
    throw new ApiProblem(
      409,
      'restore_conflict',
      `mode=replace would empty ${parents.join(' and ')}, which the stored employees reference; ` +
        'restore employees too, or use mode=merge',
    );
  }
}

function modeOf(query: RestoreQueryDto, body: RestoreRequestDto | undefined): RestoreMode {
  const mode = body?.mode ?? query.mode;
  if (!mode) throw new ApiProblem(400, 'missing_mode', 'say how to restore: mode=replace or mode=merge (in the query or the JSON body)');
  if (body?.mode && query.mode && body.mode !== query.mode) {
    throw new ApiProblem(400, 'conflicting_mode', `mode is ${query.mode} in the query and ${body.mode} in the body; send it once`);
  }
  return mode;
}

/** The backup's files to restore, in table order; every table asked for must be in the backup. */
function filesToRestore(backup: BackupRecord, tables: readonly TableName[] | undefined): BackupFileRecord[] {
  const missing = (tables ?? []).filter((table) => !backup.files.some((file) => file.table === table));
  if (missing.length > 0) {
    throw new ApiProblem(422, 'table_not_in_backup', `backup ${backup.id} has no ${missing.join(', ')} file (it holds: ${backup.files.map((f) => f.table).join(', ')})`, {
      backup_id: backup.id,
    });
  }
  return TABLE_NAMES.flatMap((table) => backup.files.filter((file) => file.table === table && (!tables || tables.includes(table))));
}
