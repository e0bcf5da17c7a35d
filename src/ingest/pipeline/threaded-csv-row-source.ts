import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { TableSpec } from '../../common/tables';
import { stopStream } from '../../common/stop-stream';
import { Wakeup } from '../../common/wakeup';
import { CsvSourceOptions } from './csv-row-source';
import { CsvWorkerData, MainMessage, WorkerMessage, decodeError, decodeRows } from './csv-worker-protocol';
import { RowSource, SourceDescription, SourceRow } from './pipeline.types';

/** Input chunks sent to the worker and not yet taken by its parser. */
const MAX_CHUNKS_IN_FLIGHT = 16;
/** Row batches the worker may parse ahead of the main thread. */
const MAX_BATCHES_AHEAD = 16;

// Its garbage is collected early, as the main thread's is (--max-old-space-size): the upload's memory stays flat.
const WORKER_HEAP = { maxOldGenerationSizeMb: 48 };

const WORKER_FILE = join(__dirname, `csv-parse.worker${extname(__filename)}`);
// Under ts-node or jest the worker is TypeScript too.
const WORKER_EXEC_ARGV = extname(__filename) === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

/**
 * The same rows as CsvRowSource, parsed on a worker thread: on two cores the
 * parse of the next rows overlaps the check and write of these. Memory stays
 * bounded both ways: the upload is paused while the worker has
 * MAX_CHUNKS_IN_FLIGHT chunks unparsed, and the worker waits while
 * MAX_BATCHES_AHEAD batches are untaken.
 */
export class ThreadedCsvRowSource implements RowSource {
  private description: SourceDescription;

  constructor(
    private readonly input: Readable,
    private readonly spec: TableSpec,
    private readonly aliases: Readonly<Record<string, readonly string[]>>,
    private readonly options: CsvSourceOptions,
  ) {
    this.description = { format: 'csv', delimiter: options.delimiter, bom: false, bytes: 0 };
  }

  stop(reason: Error): void {
    stopStream(this.input, reason);
  }

  describe(): SourceDescription {
    return this.description;
  }

  async *rows(): AsyncGenerator<SourceRow[]> {
    // Stopped before it started (a queued job at shutdown): the stream's events are gone already.
    if (this.input.destroyed) throw this.input.errored ?? new Error('the upload was closed before it was read');
    const { afterLastRow, ...options } = this.options;
    const workerData: CsvWorkerData = { table: this.spec.name, aliases: this.aliases, options, maxBatchesAhead: MAX_BATCHES_AHEAD };
    const worker = new Worker(WORKER_FILE, { workerData, execArgv: WORKER_EXEC_ARGV, resourceLimits: WORKER_HEAP });
    const inbox: Exclude<WorkerMessage, { type: 'ack' }>[] = [];
    let failure: Error | null = null;
    const wakeup = new Wakeup();
    const send = (message: MainMessage): void => worker.postMessage(message);
    let inFlight = 0;

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ack') {
        inFlight--;
        if (inFlight < MAX_CHUNKS_IN_FLIGHT && this.input.isPaused()) this.input.resume();
        return;
      }
      inbox.push(message);
      wakeup.wake();
    });
    worker.on('error', (error) => {
      failure ??= new Error(`the CSV parsing thread failed: ${error.message}`);
      wakeup.wake();
    });
    worker.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`the CSV parsing thread stopped (exit code ${code})`);
      wakeup.wake();
    });
    const onData = (chunk: Buffer): void => {
      send({ type: 'chunk', bytes: chunk });
      if (++inFlight >= MAX_CHUNKS_IN_FLIGHT) this.input.pause();
    };
    const onEnd = (): void => send({ type: 'end' });
    // The upload's own failure (cut short, too large) is the answer, as in-thread.
    const onError = (error: Error): void => {
      failure ??= error;
      wakeup.wake();
    };
    this.input.on('data', onData);
    this.input.once('end', onEnd);
    this.input.once('error', onError);
    try {
      for (;;) {
        const message = inbox.shift();
        if (!message) {
          if (failure) throw failure;
          await wakeup.wait();
          continue;
        }
        this.description = message.description;
        if (message.type === 'rows') {
          send({ type: 'taken' });
          yield decodeRows(message.rows);
        } else if (message.type === 'error') {
          throw decodeError(message.error);
        } else {
          break;
        }
      }
    } finally {
      this.input.off('data', onData);
      this.input.off('end', onEnd);
      this.input.off('error', onError);
      // Stopped early (an error here or downstream): the rest of the upload is someone else's to drain.
      if (!this.input.readableEnded) this.input.destroy();
      await worker.terminate();
    }
    await afterLastRow?.();
  }
}
