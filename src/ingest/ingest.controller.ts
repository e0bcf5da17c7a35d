import { Controller, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCsvUpload } from './api-ingest.decorators';
import { IngestCsvOptionsDto } from './dto/upload-options.dto';
import { IngestService } from './ingest.service';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post('csv')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'ingestCsv', summary: 'Load a CSV file into the table named by the "table" field' })
  @ApiCsvUpload(true)
  uploadCsv(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() options: IngestCsvOptionsDto) {
    return this.ingest.uploadCsv(request, reply, options);
  }
}
