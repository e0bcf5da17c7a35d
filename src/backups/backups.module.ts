import { Module } from '@nestjs/common';
import { IngestLookupRepository } from '../ingest/ingest-lookup.repository';
import { BackupRestoreService } from './backup-restore.service';
import { BackupRowsRepository } from './backup-rows.repository';
import { BackupStorage } from './backup-storage';
import { BackupUploadService } from './backup-upload.service';
import { BackupsController } from './backups.controller';
import { BackupsRepository } from './backups.repository';
import { BackupsService } from './backups.service';

/**
 * AVRO backups of the data tables: take, list, download, upload and restore.
 * Its TransactionRunner is the application's one (DatabaseModule, global), so
 * on SQLite backups and restores queue with ingestions on the one connection.
 */
@Module({
  controllers: [BackupsController],
  providers: [
    BackupsService,
    BackupRestoreService,
    BackupUploadService,
    BackupsRepository,
    BackupRowsRepository,
    BackupStorage,
    // Stateless: the restore runs the ingest pipeline's set-based lookups.
    IngestLookupRepository,
  ],
})
export class BackupsModule {}
