import { ApiProperty } from '@nestjs/swagger';

export class QuarterHiresDto {
  @ApiProperty({ example: 'Staff' }) department!: string;
  @ApiProperty({ example: 'Recruiter' }) job!: string;
  @ApiProperty({ example: 3, description: 'Hires from January 1 to March 31 (UTC).' }) Q1!: number;
  @ApiProperty({ example: 0, description: 'Hires from April 1 to June 30 (UTC).' }) Q2!: number;
  @ApiProperty({ example: 7, description: 'Hires from July 1 to September 30 (UTC).' }) Q3!: number;
  @ApiProperty({ example: 11, description: 'Hires from October 1 to December 31 (UTC).' }) Q4!: number;
}

export class DepartmentHiresDto {
  @ApiProperty({ example: 7 }) id!: number;
  @ApiProperty({ example: 'Staff' }) department!: string;
  @ApiProperty({ example: 45 }) hired!: number;
}

export const QUARTER_COLUMNS = ['department', 'job', 'Q1', 'Q2', 'Q3', 'Q4'] as const;
export const ABOVE_MEAN_COLUMNS = ['id', 'department', 'hired'] as const;
