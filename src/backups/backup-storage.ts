import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { constants, createReadStream, createWriteStream, ReadStream } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiProblem } from '../common/api-problem';
import { MAX_ID, TABLE_NAMES, TableName, isTableName } from '../common/tables';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AvroFileError, WrittenAvroFile, readAvroTableFile, writeAvroTableFile } from './avro/avro-table-file';
import { DigestStream } from './avro/digest-stream';
import { BackupRef } from './backup-record';

/** A stored file as its record describes it: what to check it against. */
export interface StoredFile {
  readonly table: TableName;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SavedUpload {
  readonly bytes: number;
  readonly sha256: string;
}

const FILE_KEY = /^[0-9a-f]{16}$/;

/**
 * The files of backups under backups.dir. A file's name is made here from the
 * backup's id and file key (from its record) and the table, each checked,
 * never from anything a client sent: no request can name a path.
 */
@Injectable()
export class BackupStorage implements OnModuleInit {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.backups.dir;
  }

  /** A backup folder that cannot be written stops start-up, not every backup later. */
  async onModuleInit(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
    } catch (error) {
      throw new Error(`backups.dir ${this.dir} cannot be used: ${(error as Error).message}`);
    }
  }

  /** The name of a backup's file in the folder. */
  fileName(backup: BackupRef, table: TableName): string {
    if (!Number.isInteger(backup.id) || backup.id < 1 || backup.id > MAX_ID || !FILE_KEY.test(backup.fileKey) || !isTableName(table)) {
      throw new Error(`no backup file can be named after ${JSON.stringify([backup.id, backup.fileKey, table])}`);
    }
    return `backup-${backup.id}-${backup.fileKey}-${table}.avro`;
  }

  /** The name a download is saved under: the backup id and the table. */
  downloadName(backupId: number, table: TableName): string {
    return `backup-${backupId}-${table}.avro`;
  }

  write(backup: BackupRef, table: TableName, records: AsyncIterable<Record<string, unknown>>): Promise<WrittenAvroFile> {
    return writeAvroTableFile(this.pathOf(backup, table), table, records);
  }

  /** Streams an uploaded file to its place; 413 past `maxBytes`. */
  async saveUpload(backup: BackupRef, table: TableName, input: Readable, maxBytes: number): Promise<SavedUpload> {
    const digest = new DigestStream();
    await pipeline(input, digest, createWriteStream(this.pathOf(backup, table), { flags: 'wx', mode: 0o600 }));
    if (digest.bytes > maxBytes) {
      throw new ApiProblem(413, 'payload_too_large', `the ${table} file is larger than the limit of ${maxBytes} bytes (ingest.max_upload_bytes)`);
    }
    return { bytes: digest.bytes, sha256: digest.sha256() };
  }

  /**
   * Checks a file is the one recorded: there, same size, same SHA-256 (one
   * streaming read). Any difference is a 422 backup_corrupt naming the table.
   */
  async verify(backup: BackupRef, file: StoredFile): Promise<void> {
    const digest = new DigestStream();
    try {
      await pipeline(createReadStream(this.pathOf(backup, file.table)), digest, devNull());
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'ENOENT';
      throw corrupt(backup.id, file.table, missing ? 'the file is missing' : `the file cannot be read (${(error as Error).message})`);
    }
    if (digest.bytes !== file.bytes) {
      throw corrupt(backup.id, file.table, `the file has ${digest.bytes} bytes; ${file.bytes} were recorded`);
    }
    const sha256 = digest.sha256();
    if (sha256 !== file.sha256) throw corrupt(backup.id, file.table, `its SHA-256 is ${sha256}; ${file.sha256} was recorded`);
  }

  /** The AVRO records of a stored file; a file that is not a valid one fails with 422 backup_corrupt. */
  async *records(backup: BackupRef, table: TableName): AsyncGenerator<Record<string, unknown>> {
    try {
      yield* readAvroTableFile(this.pathOf(backup, table), table);
    } catch (error) {
      if (error instanceof AvroFileError) throw corrupt(backup.id, table, error.message);
      throw error;
    }
  }

  /** Reads a whole file to check it and count its records (uploads). */
  async countRecords(backup: BackupRef, table: TableName): Promise<number> {
    let rows = 0;
    for await (const _record of this.records(backup, table)) rows++;
    return rows;
  }

  /** The file to download, opened; 404 when it is gone from the folder. */
  async open(backup: BackupRef, table: TableName): Promise<{ stream: ReadStream; bytes: number }> {
    const path = this.pathOf(backup, table);
    const stats = await stat(path).catch(() => null);
    if (!stats?.isFile()) {
      throw new ApiProblem(404, 'backup_file_missing', `the ${table} file of backup ${backup.id} is no longer in the backup folder`);
    }
    return { stream: createReadStream(path), bytes: stats.size };
  }

  /** Removes whatever files a backup has (after a failure). */
  async remove(backup: BackupRef): Promise<void> {
    await Promise.all(TABLE_NAMES.map((table) => rm(this.pathOf(backup, table), { force: true })));
  }

  private pathOf(backup: BackupRef, table: TableName): string {
    return join(this.dir, this.fileName(backup, table));
  }
}

function corrupt(backupId: number, table: TableName, why: string): ApiProblem {
  return new ApiProblem(422, 'backup_corrupt', `the ${table} file of backup ${backupId} cannot be used: ${why}`, {
    backup_id: backupId,
    table,
  });
}

/** A sink that drops what it is given: the digest is all a check needs. */
function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
