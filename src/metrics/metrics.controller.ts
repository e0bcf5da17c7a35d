import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { HiringByQuarterQueryDto, MetricsQueryDto } from './dto/metrics-query.dto';
import { ABOVE_MEAN_COLUMNS, DepartmentHiresDto, QUARTER_COLUMNS, QuarterHiresDto } from './dto/metrics-rows.dto';
import { MetricsOutput } from './metrics.output';
import { MetricsService } from './metrics.service';
import { RequiresRole } from '../auth/access.decorators';

const YEAR_HEADER = {
  'X-Metrics-Year': { description: 'The year answered (the latest year with hires when none was asked); absent when there are no hires.', schema: { type: 'integer' } },
} as const;

const MEAN_HEADERS = {
  ...YEAR_HEADER,
  'X-Metrics-Hires': { description: "The year's hires by employees with a department.", schema: { type: 'integer' } },
  'X-Metrics-Departments': { description: 'Departments in the table, those without hires included.', schema: { type: 'integer' } },
  'X-Metrics-Mean': { description: 'The mean compared with: X-Metrics-Hires / X-Metrics-Departments (rounded to 6 decimals).', schema: { type: 'number' } },
} as const;

const BAD_YEAR = 'year is not a 4-digit integer or is out of range, or another parameter is invalid.';

@ApiTags('metrics')
@ApiExtraModels(QuarterHiresDto, DepartmentHiresDto)
@ApiProduces('application/json', 'text/csv')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly output: MetricsOutput,
  ) {}

  @Get('hiring_by_quarter')
  @RequiresRole('read')
  @ApiOperation({
    operationId: 'getHiringByQuarter',
    summary: 'Hires per department and job in each quarter of a year',
    description:
      'One row per department/job pair with at least one hire in the year, zeros for the other quarters. Quarters are ' +
      'taken from hire_date in UTC. Ordered by department, then job: names compare case-insensitively for ASCII letters, ' +
      'then by Unicode code point (so non-ASCII letters sort after z), identically on SQLite and PostgreSQL. ' +
      'The year answered is in the X-Metrics-Year header.',
  })
  @ApiOkResponse({
    description: 'JSON array, or CSV with the header department,job,Q1,Q2,Q3,Q4.',
    headers: YEAR_HEADER,
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(QuarterHiresDto) } } },
      'text/csv': { schema: { type: 'string', example: 'department,job,Q1,Q2,Q3,Q4\nStaff,Recruiter,3,0,7,11\n' } },
    },
  })
  @ApiProblemResponses({ 400: BAD_YEAR })
  async hiringByQuarter(
    @Query() query: HiringByQuarterQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.output.send(reply, await this.metrics.hiringByQuarter(query), QUARTER_COLUMNS, accept, query.format);
  }

  @Get('departments_above_mean')
  @RequiresRole('read')
  @ApiOperation({
    operationId: 'getDepartmentsAboveMean',
    summary: 'Departments that hired more than the mean of all departments in a year',
    description:
      'The mean is the number of hires in the year divided by the number of departments in the table: a department ' +
      'with no hires that year counts as 0. Departments strictly above it are listed, most hires first, ties by ' +
      'department name (same rule as hiring_by_quarter), then id. The year answered is in the X-Metrics-Year header, ' +
      'the mean and its parts in X-Metrics-Mean, X-Metrics-Hires and X-Metrics-Departments.',
  })
  @ApiOkResponse({
    description: 'JSON array, or CSV with the header id,department,hired.',
    headers: MEAN_HEADERS,
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(DepartmentHiresDto) } } },
      'text/csv': { schema: { type: 'string', example: 'id,department,hired\n7,Staff,45\n' } },
    },
  })
  @ApiProblemResponses({ 400: BAD_YEAR })
  async departmentsAboveMean(
    @Query() query: MetricsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.output.send(reply, await this.metrics.departmentsAboveMean(query), ABOVE_MEAN_COLUMNS, accept, query.format);
  }
}
