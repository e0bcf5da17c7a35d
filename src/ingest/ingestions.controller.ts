import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { IngestionDetailDto } from './dto/ingestion.dto';
import { IngestionPageDto, IngestionsQueryDto } from './dto/ingestions-query.dto';
import { IngestionsService } from './ingestions.service';
import { RequiresRole } from '../auth/access.decorators';

@ApiTags('ingestions')
@Controller('ingestions')
export class IngestionsController {
  constructor(private readonly ingestions: IngestionsService) {}

  @Get()
  @RequiresRole('read')
  @ApiOperation({ operationId: 'listIngestions', summary: 'The audit trail of uploads and batches, newest first' })
  @ApiOkResponse({ type: IngestionPageDto })
  @ApiProblemResponses({ 400: 'Invalid paging or filter parameters.' })
  list(@Query() query: IngestionsQueryDto) {
    return this.ingestions.list(query);
  }

  @Get(':id')
  @RequiresRole('read')
  @ApiOperation({ operationId: 'getIngestion', summary: 'One ingestion with its stored row errors' })
  @ApiOkResponse({ type: IngestionDetailDto })
  @ApiProblemResponses({ 400: 'The id is not a positive integer.', 404: 'No ingestion has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.ingestions.get(id);
  }

  @Get(':id/rejects')
  @RequiresRole('read')
  @ApiOperation({
    operationId: 'getIngestionRejects',
    summary: 'The rejected rows as a CSV file to fix and upload again',
    description:
      'A CSV upload\'s rejected lines exactly as they were in the file (delimiter, quoting, line breaks, BOM) under its header line ' +
      '(the canonical header when it had none); a batch\'s rejected rows in canonical column order. Each is followed by line ' +
      '(row for a batch), column, error_code and message; several errors of a row are joined with " | ". Delete the last four ' +
      'columns and the file uploads again. At most ingest.max_rejects_kept rows are kept per ingestion.',
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
