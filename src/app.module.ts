import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { AppConfig } from './config/app-config';
import { BackupsModule } from './backups/backups.module';
import { ConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './auth/auth.module';
import { DepartmentsModule } from './departments/departments.module';
import { EmployeesModule } from './employees/employees.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { JobsModule } from './jobs/jobs.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MetricsModule } from './metrics/metrics.module';
import { pinoHttpOptions } from './common/logging';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: pinoHttpOptions(config.logging.level),
          // Liveness probes hit every few seconds from every load balancer: not worth a log line each.
          exclude: [{ method: RequestMethod.GET, path: 'health/live' }],
        }),
        TypeOrmModule.forRoot(buildDataSourceOptions(config.database.url, config.database.migrationsRun)),
        DatabaseModule,
        AuthModule,
        IngestModule,
        DepartmentsModule,
        JobsModule,
        EmployeesModule,
        MetricsModule,
        BackupsModule,
        HealthModule,
        LifecycleModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
