import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { ApiBatch, ApiCsvUpload } from '../ingest/api-ingest.decorators';
import { DryRunOptionDto, UploadOptionsDto } from '../ingest/dto/upload-options.dto';
import { IngestService } from '../ingest/ingest.service';
import { EmployeesService } from './employees.service';
import { EmployeeDto, EmployeePageDto, EmployeesBatchDto } from './dto/employee.dto';
import { EmployeesQueryDto } from './dto/employees-query.dto';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('employees')
@Controller('employees')
export class EmployeesController {
  constructor(
    private readonly employees: EmployeesService,
    private readonly ingest: IngestService,
  ) {}

  @Get()
  @RequiresRole('read')
  @ApiOperation({ operationId: 'listEmployees', summary: 'Employees, ordered by id, filtered by department, job and hire date' })
  @ApiOkResponse({ type: EmployeePageDto })
  @ApiProblemResponses({ 400: 'Invalid paging or filter parameters.' })
  list(@Query() query: EmployeesQueryDto) {
    return this.employees.list(query);
  }

  @Get(':id')
  @RequiresRole('read')
  @ApiOperation({ operationId: 'getEmployee', summary: 'One employee' })
  @ApiOkResponse({ type: EmployeeDto })
  @ApiProblemResponses({ 400: 'The id is not a positive 32-bit integer.', 404: 'No employee has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.employees.get(id);
  }

  @Post('upload')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'uploadEmployeesCsv', summary: 'Load employees from a CSV file (id,name,hire_date,department_id,job_id)' })
  @ApiCsvUpload(false)
  upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() options: UploadOptionsDto) {
    return this.ingest.uploadCsv(request, reply, options, 'employees');
  }

  @Post('batch')
  @RequiresRole('write')
  @ApiOperation({ operationId: 'batchEmployees', summary: 'Load 1 to 1000 employees from JSON, all or nothing' })
  @ApiBatch()
  batch(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() batch: EmployeesBatchDto,
    @Query() options: DryRunOptionDto,
  ) {
    return this.ingest.ingestBatch('employees', batch, options, request, reply);
  }
}
