import { Module } from '@nestjs/common';

/** Hiring analytics (issue 3): hires by quarter and departments above the mean. */
@Module({})
export class MetricsModule {}
