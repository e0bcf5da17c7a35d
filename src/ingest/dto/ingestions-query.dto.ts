import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto, PageOf } from '../../common/pagination.dto';
import { TABLE_NAMES } from '../../common/tables';
import { INGESTION_STATUSES } from '../entities/ingestion.entity';
import { IngestionDto } from './ingestion.dto';

export class IngestionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TABLE_NAMES })
  @IsOptional()
  @IsIn(TABLE_NAMES)
  table?: string;

  @ApiPropertyOptional({ enum: INGESTION_STATUSES })
  @IsOptional()
  @IsIn(INGESTION_STATUSES)
  status?: string;
}

export class IngestionPageDto extends PageOf(IngestionDto, 'IngestionPage') {}
