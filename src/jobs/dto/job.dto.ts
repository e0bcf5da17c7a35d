import { ApiProperty } from '@nestjs/swagger';
import { BatchRequestOf } from '../../ingest/dto/batch-request.dto';
import { PageOf } from '../../common/pagination.dto';
import { MAX_ID } from '../../common/tables';

export class JobDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 }) id!: number;
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Recruiter' }) title!: string;
}

export class JobsBatchDto extends BatchRequestOf(JobDto, 'JobsBatch') {}
export class JobPageDto extends PageOf(JobDto, 'JobPage') {}
