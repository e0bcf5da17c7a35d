import { Inject, Injectable } from '@nestjs/common';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../common/api-problem';
import { drainRequest } from '../common/drain-request';
import { TABLE_NAMES, TableName, isTableName } from '../common/tables';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { BackupFileRecord, BackupRef } from './backup-record';
import { BackupStorage, SavedUpload } from './backup-storage';
import { BackupsRepository } from './backups.repository';
import { BackupsService } from './backups.service';
import { BackupDto } from './dto/backup.dto';

const TRUNCATED = 'the upload ended before a file part was complete (the multipart body has no closing boundary)';

/**
 * A backup sent as files (e.g. taken by another instance on another
 * database): each AVRO file in the multipart field named after its table.
 * The files are stored under names made from the new backup's id, read in
 * full to check they are AVRO files of their table's records, and recorded
 * as a completed backup, ready to restore. Rows are checked at restore.
 */
@Injectable()
export class BackupUploadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupsService,
    private readonly records: BackupsRepository,
    private readonly storage: BackupStorage,
    private readonly transactions: TransactionRunner,
  ) {}

  async upload(request: FastifyRequest, requestId: string): Promise<BackupDto> {
    if (!request.isMultipart()) {
      throw new ApiProblem(
        415,
        'unsupported_media_type',
        `expected multipart/form-data with each AVRO file in a field named after its table (got ${request.headers['content-type'] ?? 'no content type'})`,
      );
    }
    // Only the record writes are exclusive: a load need not wait while the files come over the network.
    const backup = await this.transactions.exclusive(() => this.records.start({ origin: 'upload', databaseKind: null, requestId }));
    try {
      const files: BackupFileRecord[] = [];
      for (const { table, bytes, sha256 } of await this.receive(request, backup)) {
        files.push({ table, rows: await this.storage.countRecords(backup, table), bytes, sha256, fileName: this.storage.fileName(backup, table) });
      }
      await this.transactions.exclusive(() => this.records.complete(backup.id, files));
    } catch (error) {
      // Refused part-way (a text field, a file for no table): the rest of the body is read and dropped.
      drainRequest(request);
      const problem = asUploadProblem(error);
      await this.transactions.exclusive(() => this.backups.abandon(backup, problem, requestId));
      throw problem;
    }
    return this.backups.get(backup.id);
  }

  /** Streams each file part to its place, in the order sent; answers them in table order. */
  private async receive(request: FastifyRequest, backup: BackupRef): Promise<(SavedUpload & { table: TableName })[]> {
    const maxBytes = this.config.ingest.maxUploadBytes;
    const saved: (SavedUpload & { table: TableName })[] = [];
    // One byte over the limit is let through so the size check can tell "too large" from "exactly the limit".
    const parts: AsyncIterableIterator<Multipart> = request.parts({ limits: { files: TABLE_NAMES.length, fileSize: maxBytes + 1 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        throw new ApiProblem(400, 'unexpected_field', `send only files, each in a field named after its table (${TABLE_NAMES.join(', ')}); got the field "${part.fieldname}"`);
      }
      const table = part.fieldname;
      if (!isTableName(table) || saved.some((file) => file.table === table)) {
        part.file.resume();
        throw new ApiProblem(
          400,
          isTableName(table) ? 'duplicate_table' : 'invalid_table',
          isTableName(table)
            ? `the ${table} file was sent twice; send one file per table`
            : `a file field must be named after its table, one of ${TABLE_NAMES.join(', ')} (got "${table.slice(0, 64)}")`,
        );
      }
      saved.push({ table, ...(await this.storage.saveUpload(backup, table, part.file, maxBytes)) });
    }
    if (saved.length === 0) {
      throw new ApiProblem(400, 'missing_file', `the multipart body has no file; send each AVRO file in a field named after its table (${TABLE_NAMES.join(', ')})`);
    }
    return saved.sort((a, b) => TABLE_NAMES.indexOf(a.table) - TABLE_NAMES.indexOf(b.table));
  }
}

/** Multipart failures as client errors; plugin errors that carry a status keep it (the error filter maps them). */
function asUploadProblem(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ApiProblem || typeof (error as { statusCode?: unknown }).statusCode === 'number') return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || /terminated early|unexpected end/i.test(error.message)) {
    return new ApiProblem(400, 'truncated_upload', TRUNCATED);
  }
  if (/multipart|boundary/i.test(error.message)) return new ApiProblem(400, 'invalid_multipart', `the multipart body cannot be read: ${error.message}`);
  return error;
}
