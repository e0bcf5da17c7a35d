import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiIdParam, ParseIdPipe } from '../common/parse-id.pipe';
import { TABLE_NAMES, TableName } from '../common/tables';
import { AVRO_CONTENT_TYPE } from './avro/avro-table-file';
import { BackupRestoreService } from './backup-restore.service';
import { BackupUploadService } from './backup-upload.service';
import { BackupsService } from './backups.service';
import { BackupDto, BackupPageDto } from './dto/backup.dto';
import { CreateBackupDto } from './dto/backup-tables.dto';
import { RestoreQueryDto, RestoreRejectedProblemDto, RestoreReportDto, RestoreRequestDto } from './dto/restore.dto';
import { ApiTableParam, ParseTablePipe } from './parse-table.pipe';
import { RequiresRole } from '../auth/access.decorators';

const LOCATION = { Location: { description: 'The backup, /backups/{id}.', schema: { type: 'string' } } };

@ApiTags('backups')
@Controller('backups')
export class BackupsController {
  constructor(
    private readonly backups: BackupsService,
    private readonly restores: BackupRestoreService,
    private readonly uploads: BackupUploadService,
  ) {}

  @Post()
  @RequiresRole('admin')
  @ApiOperation({
    operationId: 'createBackup',
    summary: 'Back up the tables (all, or those named) to AVRO files, one per table, from one consistent read',
  })
  @ApiBody({ type: CreateBackupDto, required: false })
  @ApiCreatedResponse({ type: BackupDto, description: 'Taken and recorded; every file is listed with its rows, bytes and SHA-256.', headers: LOCATION })
  @ApiProblemResponses({ 400: 'tables is not a list of distinct table names.', 415: 'The body is not application/json.' })
  async create(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body?: CreateBackupDto) {
    const backup = await this.backups.create(body?.tables, String(request.id));
    void reply.header('location', `/backups/${backup.id}`);
    return backup;
  }

  @Post('upload')
  @RequiresRole('admin')
  @ApiOperation({
    operationId: 'uploadBackup',
    summary: 'Record AVRO files (e.g. a backup downloaded from another instance) as a new backup, ready to restore',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      description: 'One AVRO file per table, each in the field named after its table; at least one.',
      properties: Object.fromEntries(
        TABLE_NAMES.map((table) => [table, { type: 'string', format: 'binary', description: `The ${table} file of a backup.` }]),
      ),
    },
  })
  @ApiCreatedResponse({ type: BackupDto, description: 'Stored, checked and recorded as a completed backup.', headers: LOCATION })
  @ApiProblemResponses({
    400: 'A field that is not a table, a table sent twice, no file, or a multipart body cut short.',
    413: 'A file is larger than ingest.max_upload_bytes.',
    415: 'The request is not multipart/form-data.',
    422: 'A file is not an AVRO container of its table\'s records (type /problems/backup_corrupt).',
  })
  async upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const backup = await this.uploads.upload(request, String(request.id));
    void reply.header('location', `/backups/${backup.id}`);
    return backup;
  }

  @Get()
  @RequiresRole('admin')
  @ApiOperation({ operationId: 'listBackups', summary: 'Backups, newest first, with their files' })
  @ApiOkResponse({ type: BackupPageDto })
  @ApiProblemResponses({ 400: 'Invalid paging parameters.' })
  list(@Query() page: PageQueryDto) {
    return this.backups.list(page.limit, page.offset);
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiOperation({ operationId: 'getBackup', summary: 'One backup: status, and per table the rows, bytes and SHA-256 of its file' })
  @ApiOkResponse({ type: BackupDto })
  @ApiProblemResponses({ 400: 'The id is not a positive integer.', 404: 'No backup has this id.' })
  @ApiIdParam()
  get(@Param('id', ParseIdPipe) id: number) {
    return this.backups.get(id);
  }

  @Get(':id/files/:table')
  @RequiresRole('admin')
  @ApiOperation({ operationId: 'downloadBackupFile', summary: 'Download the AVRO file of one table of a backup' })
  @ApiProduces(AVRO_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'The AVRO object container file (schema in its header), as an attachment.',
    content: { [AVRO_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses({
    400: 'The id is not a positive integer, or the table is not departments, jobs or employees.',
    404: 'No backup has this id, it has no file for this table, or the file is gone from backups.dir.',
  })
  @ApiIdParam()
  @ApiTableParam()
  async download(@Param('id', ParseIdPipe) id: number, @Param('table', ParseTablePipe) table: TableName) {
    const file = await this.backups.openFile(id, table);
    return new StreamableFile(file.stream, {
      type: AVRO_CONTENT_TYPE,
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.bytes,
    });
  }

  @Post(':id/restore')
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'restoreBackup',
    summary: 'Restore a backup into the database in one transaction, every row checked again (mode replace or merge)',
  })
  @ApiBody({ type: RestoreRequestDto, required: false })
  @ApiOkResponse({ type: RestoreReportDto, description: 'Restored and committed.' })
  @ApiExtraModels(RestoreRejectedProblemDto)
  @ApiResponse({
    status: 422,
    description:
      'Nothing was changed. Rows failed their checks (type /problems/restore_rows_rejected, with the first errors: table, row, column, code, message); ' +
      'a file is missing, damaged, cut short or not as recorded (/problems/backup_corrupt); or a table asked for is not in the backup (/problems/table_not_in_backup).',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(RestoreRejectedProblemDto) } } },
  })
  @ApiProblemResponses({
    400: 'mode is missing or unknown, or tables is not a list of distinct table names.',
    404: 'No backup has this id.',
    409: 'The backup is not completed; mode=replace would orphan stored employees; or a concurrent change conflicted. Nothing was changed.',
    415: 'The body is not application/json.',
  })
  @ApiIdParam()
  restore(@Param('id', ParseIdPipe) id: number, @Query() query: RestoreQueryDto, @Body() body?: RestoreRequestDto) {
    return this.restores.restore(id, query, body);
  }
}
