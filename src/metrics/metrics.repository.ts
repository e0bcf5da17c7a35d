import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams } from '../database/sql-params';

export interface QuarterRow {
  department: string;
  job: string;
  Q1: number;
  Q2: number;
  Q3: number;
  Q4: number;
}

export interface AboveMeanRow {
  id: number;
  department: string;
  hired: number;
}

/** The departments above the mean, and the mean as hires over departments (exact integers). */
export interface AboveMean {
  readonly rows: AboveMeanRow[];
  /** Hires in the year by employees with a department. */
  readonly hires: number;
  /** Departments in the table, those without hires included. */
  readonly departments: number;
}

export interface QuarterFilter {
  readonly departmentId?: number;
  readonly jobId?: number;
}

/**
 * The analytics SQL, one method per metric, identical in meaning on SQLite
 * and PostgreSQL:
 * - the year is a range on hire_date, first to last millisecond (never a
 *   function over the column), so the (hire_date, department_id, job_id)
 *   index serves it;
 * - quarters are bucketed by comparing against the quarter boundaries, in UTC;
 * - names sort case-insensitively for ASCII letters, then by code point
 *   (lower() under the "C" collation folds ASCII only, as SQLite's does).
 */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async latestHireYear(): Promise<number | null> {
    const [row] = await this.dataSource.query('SELECT MAX(hire_date) AS latest FROM employees');
    const latest: unknown = row?.latest;
    if (latest === null || latest === undefined) return null;
    return (latest instanceof Date ? latest : new Date(String(latest))).getUTCFullYear();
  }

  async hiringByQuarter(year: number, filter: QuarterFilter): Promise<QuarterRow[]> {
    const [q2, q3, q4] = [4, 7, 10].map((month) => monthStart(year, month));
    // Placeholders are handed out in the order they appear in the statement
    // (SQLite's are positional): the SELECT list first, then the WHERE clause.
    const params = new SqlParams(this.postgres);
    const quarters = [
      `COUNT(*) FILTER (WHERE hire_date < ${params.add(q2)}) AS q1`,
      `COUNT(*) FILTER (WHERE hire_date >= ${params.add(q2)} AND hire_date < ${params.add(q3)}) AS q2`,
      `COUNT(*) FILTER (WHERE hire_date >= ${params.add(q3)} AND hire_date < ${params.add(q4)}) AS q3`,
      `COUNT(*) FILTER (WHERE hire_date >= ${params.add(q4)}) AS q4`,
    ];
    const where = [`hire_date >= ${params.add(monthStart(year, 1))}`, `hire_date <= ${params.add(yearEnd(year))}`];
    if (filter.departmentId !== undefined) where.push(`department_id = ${params.add(filter.departmentId)}`);
    if (filter.jobId !== undefined) where.push(`job_id = ${params.add(filter.jobId)}`);
    // Count by ids over employees alone (the index covers it), then name the few groups.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH counts AS (
         SELECT department_id, job_id, ${quarters.join(', ')}
           FROM employees
          WHERE ${where.join(' AND ')}
          GROUP BY department_id, job_id
       )
       SELECT d.name AS department, j.title AS job, c.q1, c.q2, c.q3, c.q4
         FROM counts c
         JOIN departments d ON d.id = c.department_id
         JOIN jobs j ON j.id = c.job_id
        ORDER BY ${this.nameOrder('d.name')}, ${this.nameOrder('j.title')}`,
      params.values,
    );
    return rows.map((row) => ({
      department: String(row.department),
      job: String(row.job),
      Q1: Number(row.q1),
      Q2: Number(row.q2),
      Q3: Number(row.q3),
      Q4: Number(row.q4),
    }));
  }

  /**
   * The departments above the year's mean, and what the mean is made of, in
   * one statement so both come from the same snapshot. The totals row is
   * joined to the departments above it with a LEFT JOIN, so it comes back
   * (with a null id) even when none is.
   */
  async departmentsAboveMean(year: number): Promise<AboveMean> {
    const params = new SqlParams(this.postgres);
    // hired > total / departments is decided as hired * departments > total,
    // in exact integer arithmetic on both databases.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH counts AS (
         SELECT department_id, COUNT(*) AS hired
           FROM employees
          WHERE hire_date >= ${params.add(monthStart(year, 1))} AND hire_date <= ${params.add(yearEnd(year))}
          GROUP BY department_id
       ), hires AS (
         SELECT d.id, d.name, COALESCE(c.hired, 0) AS hired
           FROM departments d
           LEFT JOIN counts c ON c.department_id = d.id
       ), totals AS (
         SELECT COUNT(*) AS departments, COALESCE(SUM(hired), 0) AS hires FROM hires
       )
       SELECT h.id, h.name AS department, h.hired, t.departments, t.hires
         FROM totals t
         LEFT JOIN hires h ON h.hired * t.departments > t.hires
        ORDER BY h.hired DESC, ${this.nameOrder('h.name')}, h.id`,
      params.values,
    );
    const totals = { hires: Number(rows[0]?.hires ?? 0), departments: Number(rows[0]?.departments ?? 0) };
    const above = rows.filter((row) => row.id !== null && row.id !== undefined);
    return { ...totals, rows: above.map((row) => ({ id: Number(row.id), department: String(row.department), hired: Number(row.hired) })) };
  }

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  private nameOrder(column: string): string {
    return this.postgres ? `lower(${column} COLLATE "C") COLLATE "C", ${column} COLLATE "C"` : `lower(${column}), ${column}`;
  }
}

/**
 * The last instant of a year, to the millisecond like the stored instants
 * (an inclusive bound never needs year 10000).
 */
function yearEnd(year: number): string {
  return `${String(year).padStart(4, '0')}-12-31T23:59:59.999Z`;
}

/** The first instant of a month in UTC, in the stored ISO form. */
function monthStart(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;
}
