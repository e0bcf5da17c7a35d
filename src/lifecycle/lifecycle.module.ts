import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { GracefulShutdown } from './graceful-shutdown.service';
import { InFlightRequests } from './in-flight-requests';

@Module({
  imports: [IngestModule],
  providers: [GracefulShutdown, InFlightRequests],
})
export class LifecycleModule {}
