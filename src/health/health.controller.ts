import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MigrationsHealthIndicator } from './migrations.health';
import { Public } from '../auth/access.decorators';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: the database answers and migrations are applied' })
  @ApiServiceUnavailableResponse({ description: 'Not ready; the body says which check failed.' })
  ready() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 3000 }), () => this.migrations.isApplied('migrations')]);
  }

  // GET /health/live is served by Fastify directly: see liveness.route.ts.
}
