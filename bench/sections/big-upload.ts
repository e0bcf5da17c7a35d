import { generateLegacyFiles } from '../lib/generate';
import { sqlitePath } from '../lib/databases';
import { uploadFile } from '../lib/http';
import { Figure } from '../lib/report';
import { startServer, withPeakRss } from '../lib/server';

const MB = 1024 * 1024;

/** --big: peak RSS growth of the server while a ~100 MB and a ≥ 1 GB file stream in (SQLite). */
export async function benchBigUpload(work: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const rows of [1_900_000, 21_000_000]) {
    const files = await generateLegacyFiles(work, rows, 7);
    const db = sqlitePath(work, `bench-big-${rows}`);
    const server = await startServer(db.url, 18_700);
    try {
      await uploadFile(server.baseUrl, '/departments/upload', files.departments);
      await uploadFile(server.baseUrl, '/jobs/upload', files.jobs);
      const measured = await withPeakRss(server.pid, () => uploadFile(server.baseUrl, '/employees/upload', files.employees));
      figures.push({
        figure: `SQLite: RSS growth uploading ${(files.bytes / MB).toFixed(0)} MB`,
        ours: (measured.peak - measured.idle) / MB,
        baseline: null,
        unit: 'MB',
        target: '<= 128 MB',
      });
    } finally {
      await server.stop();
      db.drop();
    }
  }
  return figures;
}
