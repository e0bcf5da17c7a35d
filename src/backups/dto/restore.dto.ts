import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ProblemDto } from '../../common/problem.dto';
import { RowError } from '../../common/row-error';
import { TABLE_NAMES, TableName } from '../../common/tables';
import { TableList } from './backup-tables.dto';

export const RESTORE_MODES = ['replace', 'merge'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];

export const RESTORE_MODE_DESCRIPTION =
  'replace: the restored tables are emptied (employees first), then loaded from the backup. ' +
  'merge: each row of the backup is inserted or, when its id exists, replaces the stored row; other rows stay. Required, in the query or the body.';

/** mode as a query parameter. */
export class RestoreQueryDto {
  @ApiPropertyOptional({ enum: RESTORE_MODES, description: RESTORE_MODE_DESCRIPTION })
  @IsOptional()
  @IsIn(RESTORE_MODES)
  mode?: RestoreMode;
}

/** The body of a restore: the mode (or in the query) and which of the backup's tables to restore. */
export class RestoreRequestDto extends RestoreQueryDto {
  @TableList('Tables of the backup to restore, each once. Default: every file of the backup.')
  tables?: TableName[];
}

export class RestoreTableReportDto {
  @ApiProperty({ enum: TABLE_NAMES }) table!: TableName;
  @ApiProperty({ type: 'integer', description: 'Records read from the file.' }) rows_read!: number;
  @ApiProperty({ type: 'integer', description: 'Rows deleted first (mode replace).' }) deleted!: number;
  @ApiProperty({ type: 'integer' }) inserted!: number;
  @ApiProperty({ type: 'integer', description: 'Existing rows changed (mode merge).' }) updated!: number;
  @ApiProperty({ type: 'integer', description: 'Existing rows identical to the backup\'s (mode merge).' })
  unchanged!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Mode merge: records whose id an earlier record of the file had (the last one wins; mode replace rejects them). ' +
      'rows_read = inserted + updated + unchanged + duplicate_in_file.',
  })
  duplicate_in_file!: number;
}

export class RestoreReportDto {
  @ApiProperty({ example: 3 }) backup_id!: number;
  @ApiProperty({ enum: RESTORE_MODES }) mode!: RestoreMode;
  @ApiProperty({ type: [RestoreTableReportDto], description: 'In the order restored: departments, jobs, employees.' })
  tables!: RestoreTableReportDto[];
  @ApiProperty({ type: 'integer', description: 'Milliseconds the restore took, checks of the files included.' }) duration_ms!: number;
}

/** A row of a backup that failed its checks: where (table and 0-based record index), what, and why. */
export class RestoreRowErrorDto extends RowError {
  @ApiProperty({ enum: TABLE_NAMES }) table!: TableName;
}

/** The 422 body of a restore: nothing was changed. */
export class RestoreRejectedProblemDto extends ProblemDto {
  @ApiProperty({ example: 3 }) backup_id!: number;
  @ApiPropertyOptional({ enum: TABLE_NAMES, description: 'backup_corrupt: the table whose file cannot be used.' }) table?: TableName;
  @ApiPropertyOptional({
    type: [RestoreRowErrorDto],
    description: 'restore_rows_rejected: the first errors found (row is the 0-based record index in the table\'s file).',
  })
  override errors?: RestoreRowErrorDto[];
  @ApiPropertyOptional({ description: 'restore_rows_rejected: true when the restore stopped looking after the errors listed.' })
  errors_truncated?: boolean;
}
