import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { TABLE_SPECS } from '../../common/tables';
import { Wakeup } from '../../common/wakeup';
import { CsvRowSource } from './csv-row-source';
import { CsvWorkerData, MainMessage, WorkerMessage, encodeError, encodeRows } from './csv-worker-protocol';

/**
 * The CSV half of an upload on a thread of its own: UTF-8 check, framing,
 * parsing and header mapping (the same CsvRowSource as in-thread), while the
 * main thread checks and writes the rows. Bytes come in as messages and rows
 * go out in batches, each side holding back when the other falls behind.
 */
const port = parentPort;
if (!port) throw new Error('csv-parse.worker must run as a worker thread');
const data = workerData as CsvWorkerData;
const post = (message: WorkerMessage): void => port.postMessage(message);

const input = new PassThrough();
let credits = data.maxBatchesAhead;
const wakeup = new Wakeup();

port.on('message', (message: MainMessage) => {
  if (message.type === 'chunk') {
    // The callback fires once the parser has room again: that is the main thread's cue to send more.
    input.write(message.bytes, () => post({ type: 'ack' }));
  } else if (message.type === 'end') {
    input.end();
  } else {
    credits++;
    wakeup.wake();
  }
});

async function run(): Promise<void> {
  const source = new CsvRowSource(input, TABLE_SPECS[data.table], data.aliases, data.options);
  try {
    for await (const batch of source.rows()) {
      while (credits === 0) await wakeup.wait();
      credits--;
      post({ type: 'rows', rows: encodeRows(batch), description: source.describe() });
    }
    post({ type: 'end', description: source.describe() });
  } catch (error) {
    post({ type: 'error', error: encodeError(error), description: source.describe() });
  }
}

void run();
