import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequiresRole } from './access.decorators';
import { AccessSummaryDto } from './dto/access-summary.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  @Get('whoami')
  @RequiresRole('read')
  @ApiOperation({
    operationId: 'whoAmI',
    summary: "The API key's name and role, so a client can tell what it may do before trying",
  })
  @ApiOkResponse({ type: AccessSummaryDto })
  whoAmI(@Req() request: FastifyRequest): AccessSummaryDto {
    // The guard sets apiKey whenever keys are enforced; without it every request is let in as admin.
    const key = request.apiKey;
    return key ? { authentication: 'api_key', key_name: key.name, role: key.role } : { authentication: 'off', key_name: null, role: 'admin' };
  }
}
