import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiProblem } from '../common/api-problem';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** An upload saved to disk so it can be loaded after the response has gone. */
export interface SpooledUpload {
  readonly path: string;
  readonly bytes: number;
  remove(): Promise<void>;
}

const PREFIX = 'db-migration-upload-';
// db-migration-upload-<instance>--<uuid>.csv: whose file it is, so orphans can be told from live ones.
const SPOOL_FILE = /^db-migration-upload-(.+)--[0-9a-f-]{36}\.csv$/;

/** Instance ids as they appear in spool file names. */
function fileSafe(instanceId: string): string {
  return instanceId.replace(/[^\w.-]/g, '_');
}

/**
 * The folder where async uploads wait to be loaded (jobs.spool_dir). Files
 * are named after the instance that saved them, so the files of an instance
 * that died (a kill, a crash, a stop mid-upload) are found and removed.
 */
@Injectable()
export class UploadSpool implements OnModuleInit {
  private readonly logger = new Logger(UploadSpool.name);
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.dir = config.jobs.spoolDir;
  }

  /** A spool folder that cannot be written stops start-up, not every async upload later. */
  async onModuleInit(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
    } catch (error) {
      throw new Error(`jobs.spool_dir ${this.dir} cannot be used: ${(error as Error).message}`);
    }
  }

  /**
   * Streams an upload to a new file with backpressure (memory stays flat
   * whatever the size). Fails with 413 past `maxBytes`, and removes the file
   * whenever it fails.
   */
  async save(input: Readable, maxBytes: number): Promise<SpooledUpload> {
    const path = join(this.dir, `${PREFIX}${fileSafe(this.config.jobs.instanceId)}--${randomUUID()}.csv`);
    const remove = (): Promise<void> => rm(path, { force: true });
    try {
      await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      const { size } = await stat(path);
      if (size > maxBytes) {
        throw new ApiProblem(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes (ingest.max_upload_bytes)`);
      }
      return { path, bytes: size, remove };
    } catch (error) {
      await remove();
      throw error;
    }
  }

  /**
   * Removes the files of instances that are not alive (`live`: the ids of
   * instances with a fresh heartbeat), once untouched for
   * jobs.stale_after_ms (a file being written is touched all the time). At
   * start-up this instance's own files are from a previous life of its id
   * and go at once; afterwards they are its live uploads.
   */
  async removeOrphans(live: ReadonlySet<string>, atStartup: boolean): Promise<number> {
    const own = fileSafe(this.config.jobs.instanceId);
    const alive = new Set([...live].map(fileSafe));
    if (atStartup) alive.delete(own);
    else alive.add(own);
    const staleBefore = Date.now() - this.config.jobs.staleAfterMs;
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const owner = SPOOL_FILE.exec(name)?.[1];
      if (owner === undefined || alive.has(owner)) continue;
      const path = join(this.dir, name);
      if (owner === own) {
        await rm(path, { force: true });
        removed++;
        continue;
      }
      const modified = await stat(path).then((s) => s.mtimeMs, () => Infinity);
      if (modified >= staleBefore) continue;
      await rm(path, { force: true });
      removed++;
    }
    if (removed > 0) this.logger.warn({ msg: 'removed uploads left by stopped instances', count: removed, dir: this.dir });
    return removed;
  }
}
