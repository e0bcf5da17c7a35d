import { get, upload } from './http';
import { StreamingUpload } from './streaming-upload';

/**
 * For tests that need a large upload in flight (shutdown, lost connections):
 * generated employee rows, the references they need, and a way to wait until
 * the server is writing them.
 */

/** Employees from..to, as headerless CSV lines; departments and jobs 1 and 2. */
export function employeeLines(from: number, to: number): string {
  const lines: string[] = [];
  for (let id = from; id <= to; id++) lines.push(`${id},Employee ${id},2021-0${(id % 9) + 1}-15T09:30:00Z,${(id % 2) + 1},${(id % 2) + 1}\n`);
  return lines.join('');
}

/** Departments and jobs 1 and 2, uploaded through the API (the server may be another process). */
export async function seedReferences(baseUrl: string): Promise<void> {
  for (const [table, file] of [
    ['departments', '1,Sales\n2,Engineering\n'],
    ['jobs', '1,Manager\n2,Developer\n'],
  ]) {
    const res = await upload(baseUrl, `/${table}/upload`, file);
    if (res.status !== 201) throw new Error(`seeding ${table} answered ${res.status}: ${res.text}`);
  }
}

/** Sends rows until the server has handed some to the database; answers the ingestion's id and the last id sent. */
export async function uploadUntilWriting(baseUrl: string, streaming: StreamingUpload, firstId = 1): Promise<{ id: number; sentUpTo: number }> {
  let next = firstId;
  for (let attempt = 0; attempt < 200; attempt++) {
    await streaming.write(employeeLines(next, next + 1999));
    next += 2000;
    const running = (await get(baseUrl, '/ingestions?table=employees&status=running')).body.items?.[0];
    if (running && running.progress.rows_written > 0) return { id: running.id, sentUpTo: next - 1 };
  }
  throw new Error('the upload never started writing');
}
