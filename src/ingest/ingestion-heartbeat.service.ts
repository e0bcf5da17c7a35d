import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { IngestionsRepository } from './ingestions.repository';
import { IngestProgress } from './pipeline/pipeline.types';
import { UploadSpool } from './upload-spool';

/** Reads the progress of a running ingestion; null while it only waits its turn. */
export type ProgressProbe = () => IngestProgress | null;

/**
 * Keeps the heartbeat of every ingestion this instance runs fresh, with its
 * progress, and marks interrupted the unfinished ingestions of instances that
 * stopped beating (and, at start-up, its own from a previous run), removing
 * the uploads they left in the spool. Several instances may share a database: each sweeps, and
 * one UPDATE decides which marks a given ingestion.
 */
@Injectable()
export class IngestionHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngestionHeartbeat.name);
  private readonly probes = new Map<number, ProgressProbe>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingestions: IngestionsRepository,
    private readonly spool: UploadSpool,
  ) {}

  get instanceId(): string {
    return this.config.jobs.instanceId;
  }

  /** Beats for ingestion `id` until the returned function is called. */
  track(id: number, probe: ProgressProbe): () => void {
    this.probes.set(id, probe);
    return () => {
      if (this.probes.get(id) === probe) this.probes.delete(id);
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    // Before serving: what this id left unfinished in a previous run cannot be running now.
    const leftovers = await this.ingestions.interruptLeftovers(this.instanceId);
    if (leftovers > 0) this.logger.warn({ msg: 'marked ingestions of the previous run interrupted', count: leftovers });
    await this.removeOrphanedUploads(true);
    this.timer = setInterval(() => void this.beat(), this.config.jobs.heartbeatMs);
    // A timer alone must not keep a stopping process alive.
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
  }

  /** One heartbeat round; rounds never overlap. Public for tests. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /** Saved uploads of instances that are gone (killed, crashed, stopped mid-upload). */
  private async removeOrphanedUploads(atStartup: boolean): Promise<void> {
    const live = await this.ingestions.liveInstances(new Date(Date.now() - this.config.jobs.staleAfterMs));
    await this.spool.removeOrphans(live, atStartup);
  }

  private async beatOnce(): Promise<void> {
    try {
      for (const [id, probe] of [...this.probes]) {
        await this.ingestions.beat(id, this.instanceId, probe());
      }
      const staleBefore = new Date(Date.now() - this.config.jobs.staleAfterMs);
      const interrupted = await this.ingestions.interruptStale(staleBefore, this.instanceId);
      if (interrupted > 0) {
        this.logger.warn({ msg: 'marked stale ingestions interrupted', count: interrupted });
        await this.removeOrphanedUploads(false);
      }
    } catch (error) {
      // A missed beat is retried on the next tick; only a long outage makes a job look stale.
      this.logger.warn({ msg: 'heartbeat failed', error: (error as Error).message });
    }
  }
}
