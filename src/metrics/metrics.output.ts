import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toCsv, wantsCsv } from '../common/csv-output';
import { MetricResult } from './metrics.service';

/** Content negotiation for the metrics: JSON array by default, CSV on request. */
@Injectable()
export class MetricsOutput {
  async send<T extends object>(
    reply: FastifyReply,
    result: MetricResult<T>,
    columns: readonly (keyof T & string)[],
    accept: string | undefined,
    format: string | undefined,
  ): Promise<T[] | string> {
    if (result.year !== null) reply.header('x-metrics-year', String(result.year));
    for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
    if (!wantsCsv(accept, format)) return result.rows;
    reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(columns, result.rows);
  }
}
