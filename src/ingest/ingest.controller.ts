import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCsvUpload } from './api-ingest.decorators';
import { IngestDefaultsDto } from './dto/ingest-defaults.dto';
import { IngestCsvOptionsDto } from './dto/upload-options.dto';
import { IngestService } from './ingest.service';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Get('defaults')
  @RequiresRole('read')
  @ApiOperation({ operationId: 'getIngestDefaults', summary: 'The options an upload or batch gets when it names none, and the limits it must stay under' })
  @ApiOkResponse({ type: IngestDefaultsDto })
  defaults(): IngestDefaultsDto {
    return this.ingest.defaults();
  }

  @Post('csv')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'ingestCsv', summary: 'Load a CSV file into the table named by the "table" field, or, without one, the table its header names' })
  @ApiCsvUpload(true)
  uploadCsv(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() options: IngestCsvOptionsDto) {
    return this.ingest.uploadCsv(request, reply, options);
  }
}
