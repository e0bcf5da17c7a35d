import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { IngestionReject } from './entities/ingestion-reject.entity';
import { Ingestion } from './entities/ingestion.entity';
import { IngestController } from './ingest.controller';
import { IngestPipeline } from './ingest-pipeline.service';
import { IngestJobs } from './ingest-jobs.service';
import { IngestionHeartbeat } from './ingestion-heartbeat.service';
import { IngestLookupRepository } from './ingest-lookup.repository';
import { IngestService } from './ingest.service';
import { IngestionsController } from './ingestions.controller';
import { IngestionsRepository } from './ingestions.repository';
import { IngestionsService } from './ingestions.service';
import { MultipartUploadReader } from './multipart-upload.reader';
import { UploadSpool } from './upload-spool';
import { IngestionAdmission } from './ingestion-admission';

@Module({
  imports: [TypeOrmModule.forFeature([Ingestion, IngestionReject]), IdempotencyModule],
  controllers: [IngestController, IngestionsController],
  providers: [
    IngestService,
    IngestPipeline,
    IngestJobs,
    IngestionHeartbeat,
    IngestLookupRepository,
    IngestionsRepository,
    IngestionsService,
    MultipartUploadReader,
    UploadSpool,
    IngestionAdmission,
  ],
  exports: [IngestService, IngestPipeline, IngestJobs],
})
export class IngestModule {}
