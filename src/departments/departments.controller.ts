import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { ApiBatch, ApiCsvUpload } from '../ingest/api-ingest.decorators';
import { DryRunOptionDto, UploadOptionsDto } from '../ingest/dto/upload-options.dto';
import { IngestService } from '../ingest/ingest.service';
import { DepartmentsService } from './departments.service';
import { DepartmentDto, DepartmentPageDto, DepartmentsBatchDto } from './dto/department.dto';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('departments')
@Controller('departments')
export class DepartmentsController {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly ingest: IngestService,
  ) {}

  @Get()
  @RequiresRole('read')
  @ApiOperation({ operationId: 'listDepartments', summary: 'Departments, ordered by id' })
  @ApiOkResponse({ type: DepartmentPageDto })
  @ApiProblemResponses({ 400: 'Invalid paging parameters.' })
  list(@Query() page: PageQueryDto) {
    return this.departments.list(page);
  }

  @Get(':id')
  @RequiresRole('read')
  @ApiOperation({ operationId: 'getDepartment', summary: 'One department' })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiProblemResponses({ 400: 'The id is not a positive 32-bit integer.', 404: 'No department has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.departments.get(id);
  }

  @Post('upload')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'uploadDepartmentsCsv', summary: 'Load departments from a CSV file (id,name)' })
  @ApiCsvUpload(false)
  upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() options: UploadOptionsDto) {
    return this.ingest.uploadCsv(request, reply, options, 'departments');
  }

  @Post('batch')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'batchDepartments', summary: 'Load 1 to 1000 departments from JSON, all or nothing' })
  @ApiBatch()
  batch(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() batch: DepartmentsBatchDto,
    @Query() options: DryRunOptionDto,
  ) {
    return this.ingest.ingestBatch('departments', batch, options, request, reply);
  }
}
