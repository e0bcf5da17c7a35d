import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { ApiBatch, ApiCsvUpload } from '../ingest/api-ingest.decorators';
import { DryRunOptionDto, UploadOptionsDto } from '../ingest/dto/upload-options.dto';
import { IngestService } from '../ingest/ingest.service';
import { JobsService } from './jobs.service';
import { JobDto, JobPageDto, JobsBatchDto } from './dto/job.dto';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly ingest: IngestService,
  ) {}

  @Get()
  @RequiresRole('read')
  @ApiOperation({ operationId: 'listJobs', summary: 'Jobs, ordered by id' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiProblemResponses({ 400: 'Invalid paging parameters.' })
  list(@Query() page: PageQueryDto) {
    return this.jobs.list(page);
  }

  @Get(':id')
  @RequiresRole('read')
  @ApiOperation({ operationId: 'getJob', summary: 'One job' })
  @ApiOkResponse({ type: JobDto })
  @ApiProblemResponses({ 400: 'The id is not a positive 32-bit integer.', 404: 'No job has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.jobs.get(id);
  }

  @Post('upload')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'uploadJobsCsv', summary: 'Load jobs from a CSV file (id,title)' })
  @ApiCsvUpload(false)
  upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() options: UploadOptionsDto) {
    return this.ingest.uploadCsv(request, reply, options, 'jobs');
  }

  @Post('batch')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'batchJobs', summary: 'Load 1 to 1000 jobs from JSON, all or nothing' })
  @ApiBatch()
  batch(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() batch: JobsBatchDto,
    @Query() options: DryRunOptionDto,
  ) {
    return this.ingest.ingestBatch('jobs', batch, options, request, reply);
  }
}
