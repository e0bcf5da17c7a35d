import { Global, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKeyGuard } from './api-key.guard';
import { AuthController } from './auth.controller';
import { ApiKeyRegistry } from './api-key-registry';

@Global()
@Module({
  controllers: [AuthController],
  providers: [ApiKeyRegistry, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyRegistry],
})
export class AuthModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const { keys, openBecause } = this.config.auth;
    if (openBecause === 'development') {
      this.logger.warn('no API keys configured: every request is allowed (development only; in production the service refuses to start without keys)');
    } else if (openBecause === 'AUTH=none') {
      this.logger.warn('AUTH=none: authentication is off, every request is allowed');
    } else {
      this.logger.log({ msg: 'API keys enforced', keys: keys.map((key) => ({ name: key.name, role: key.role })) });
    }
  }
}
