import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination.dto';
import { TABLE_NAMES, TableName } from '../../common/tables';
import { BACKUP_ORIGINS, BACKUP_STATUSES, BackupFileRecord, BackupRecord } from '../backup-record';

/** One table's file in a backup. */
export class BackupFileDto {
  @ApiProperty({ enum: TABLE_NAMES }) table!: TableName;
  @ApiProperty({ type: 'integer', description: 'Records in the file: the rows the table had when the backup was taken.' }) rows!: number;
  @ApiProperty({ type: 'integer', description: 'Size of the file in bytes.' }) bytes!: number;
  @ApiProperty({
    description: 'SHA-256 (hex) of the file as stored; a restore checks the file against it before reading a record.',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  sha256!: string;
  @ApiProperty({
    description: 'Its name in backups.dir: the backup id, a random key of the backup, the table. A download is named backup-<id>-<table>.avro.',
    example: 'backup-3-5f0c2a9e81d4b7a3-employees.avro',
  })
  file_name!: string;
  @ApiProperty({ description: 'Where to download it.', example: '/backups/3/files/employees' }) download!: string;

  static from(backupId: number, file: BackupFileRecord): BackupFileDto {
    return {
      table: file.table,
      rows: file.rows,
      bytes: file.bytes,
      sha256: file.sha256,
      file_name: file.fileName,
      download: `/backups/${backupId}/files/${file.table}`,
    };
  }
}

export class BackupDto {
  @ApiProperty({ example: 3 }) id!: number;
  @ApiProperty({
    enum: BACKUP_STATUSES,
    description: 'running: files being written or received; completed: every file recorded, restorable; failed: see detail, nothing kept.',
  })
  status!: string;
  @ApiProperty({ enum: BACKUP_ORIGINS, description: 'backup: taken from this database (POST /backups); upload: sent to POST /backups/upload.' })
  origin!: string;
  @ApiProperty({ type: String, enum: ['sqlite', 'postgres'], nullable: true, description: 'The database the rows were read from; null for an upload.' })
  database!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds from start to finish.' }) duration_ms!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the backup failed.' }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true }) request_id!: string | null;
  @ApiProperty({ type: [BackupFileDto], description: 'One file per table, in restore order (departments, jobs, employees).' })
  files!: BackupFileDto[];

  static from(record: BackupRecord): BackupDto {
    return {
      id: record.id,
      status: record.status,
      origin: record.origin,
      database: record.databaseKind,
      created_at: record.createdAt,
      finished_at: record.finishedAt,
      duration_ms: record.finishedAt === null ? null : Date.parse(record.finishedAt) - Date.parse(record.createdAt),
      detail: record.detail,
      request_id: record.requestId,
      files: record.files.map((file) => BackupFileDto.from(record.id, file)),
    };
  }
}

export class BackupPageDto extends PageOf(BackupDto, 'BackupPage') {}
