import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { IngestionDetailDto } from './dto/ingestion.dto';
import { IngestionPageDto, IngestionsQueryDto } from './dto/ingestions-query.dto';
import { IngestionsService } from './ingestions.service';

@ApiTags('ingestions')
@Controller('ingestions')
export class IngestionsController {
  constructor(private readonly ingestions: IngestionsService) {}

  @Get()
  @ApiOperation({ operationId: 'listIngestions', summary: 'The audit trail of uploads and batches, newest first' })
  @ApiOkResponse({ type: IngestionPageDto })
  @ApiProblemResponses({ 400: 'Invalid paging or filter parameters.' })
  list(@Query() query: IngestionsQueryDto) {
    return this.ingestions.list(query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getIngestion', summary: 'One ingestion with its stored row errors' })
  @ApiOkResponse({ type: IngestionDetailDto })
  @ApiProblemResponses({ 400: 'The id is not a positive integer.', 404: 'No ingestion has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.ingestions.get(id);
  }

  @Get(':id/rejects')
  @ApiOperation({
    operationId: 'getIngestionRejects',
    summary: 'The rejected rows as CSV: the row cells in canonical order, then line, column, error_code, message',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblemResponses({ 400: 'The id is not a positive integer.', 404: 'No ingestion has this id.' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiIdParam()
  rejects(@Param('id', ParseIdPipe) id: number) {
    return this.ingestions.rejectsCsv(id);
  }
}
