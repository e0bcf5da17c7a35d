import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import { ApiProblem } from '../common/api-problem';
import { found } from '../common/not-found';
import { Page } from '../common/pagination.dto';
import { TABLE_NAMES, TableName } from '../common/tables';
import { toProblem } from '../common/to-problem';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { DatabaseKind } from '../database/data-source-options';
import { toAvroRecord } from './avro/table-schema';
import { BackupFileRecord, BackupRecord, BackupRef } from './backup-record';
import { BackupRowsRepository } from './backup-rows.repository';
import { BackupStorage } from './backup-storage';
import { BackupsRepository } from './backups.repository';
import { BackupDto } from './dto/backup.dto';

/** Takes backups (one AVRO file per table), lists them and hands out their files. */
@Injectable()
export class BackupsService {
  private readonly logger = new Logger(BackupsService.name);
  private readonly database: DatabaseKind;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: BackupsRepository,
    private readonly rows: BackupRowsRepository,
    private readonly storage: BackupStorage,
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
  ) {
    this.database = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /**
   * Writes each table, in table order, from one consistent read of the
   * database, and records the backup. On SQLite the whole backup is
   * exclusive: loads and restores wait for it, and it waits for them.
   */
  create(tables: readonly TableName[] | undefined, requestId: string): Promise<BackupDto> {
    const chosen = TABLE_NAMES.filter((table) => !tables || tables.includes(table));
    return this.transactions.exclusive(async () => {
      const backup = await this.records.start({ origin: 'backup', databaseKind: this.database, requestId });
      try {
        const files = await this.readConsistently(async (queryRunner) => {
          const written: BackupFileRecord[] = [];
          for (const table of chosen) {
            const records = this.avroRecords(this.rows.rows(queryRunner, table, this.config.ingest.chunkRows), table);
            const file = await this.storage.write(backup, table, records);
            written.push({ table, ...file, fileName: this.storage.fileName(backup, table) });
          }
          return written;
        });
        await this.records.complete(backup.id, files);
      } catch (error) {
        await this.abandon(backup, error, requestId);
        throw error;
      }
      const taken = BackupDto.from(await this.find(backup.id));
      this.logger.log({ msg: 'backup taken', backup: { id: taken.id, files: taken.files.map(({ table, rows, bytes }) => ({ table, rows, bytes })) } });
      return taken;
    });
  }

  async list(limit: number, offset: number): Promise<Page<BackupDto>> {
    const [records, total] = await this.records.findPage(limit, offset);
    return { items: records.map(BackupDto.from), total, limit, offset };
  }

  async get(id: number): Promise<BackupDto> {
    return BackupDto.from(await this.find(id));
  }

  /** A backup's file of one table, opened for download. */
  async openFile(id: number, table: TableName): Promise<{ stream: Readable; bytes: number; fileName: string }> {
    const backup = await this.find(id);
    if (!backup.files.some((file) => file.table === table)) {
      throw new ApiProblem(404, 'not_found', `backup ${id} has no ${table} file (it holds: ${backup.files.map((f) => f.table).join(', ') || 'none'})`);
    }
    return { ...(await this.storage.open(backup, table)), fileName: this.storage.downloadName(id, table) };
  }

  find(id: number): Promise<BackupRecord> {
    return this.records.findById(id).then((record) => found(record, 'backup', id));
  }

  /** A failed backup keeps its record, marked failed with the reason, and none of its files. */
  async abandon(backup: BackupRef, error: unknown, requestId: string): Promise<void> {
    const problem = toProblem(error);
    const detail = problem.unexpected ? `an unexpected error stopped the backup (see the service log, request ${requestId})` : problem.body.detail;
    await this.storage.remove(backup);
    await this.records
      .fail(backup.id, detail)
      .catch((failure: unknown) => this.logger.error({ err: failure, backup: backup.id }, 'could not mark the backup failed'));
  }

  /**
   * PostgreSQL: one repeatable-read snapshot for every table, so employees
   * never name a department a concurrent load added after the departments
   * were read. SQLite: no transaction at all. The backup is exclusive, so no
   * load writes while it reads; and a transaction on the one connection would
   * take in whatever other requests write meanwhile, and lose it if the
   * backup failed.
   */
  private async readConsistently<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    if (this.database === 'postgres') {
      return this.transactions.inTransaction(async (queryRunner) => {
        await this.rows.readOneSnapshot(queryRunner);
        return work(queryRunner);
      });
    }
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      return await work(queryRunner);
    } finally {
      await queryRunner.release();
    }
  }

  private async *avroRecords(rows: AsyncIterable<Record<string, unknown>>, table: TableName): AsyncGenerator<Record<string, unknown>> {
    for await (const row of rows) yield toAvroRecord(table, row);
  }
}
