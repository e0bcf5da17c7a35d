import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instantTransformer } from '../../database/instant.transformer';

@Entity({ name: 'employees' })
export class Employee {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** ISO 8601 in UTC; see instantTransformer for the per-database storage. */
  @Column({ name: 'hire_date', type: 'varchar', transformer: instantTransformer })
  hireDate!: string;

  @Column({ name: 'department_id', type: 'integer' })
  departmentId!: number;

  @Column({ name: 'job_id', type: 'integer' })
  jobId!: number;
}
