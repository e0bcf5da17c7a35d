import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsOutput } from './metrics.output';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** Hiring analytics, computed in SQL. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsRepository, MetricsOutput],
})
export class MetricsModule {}
