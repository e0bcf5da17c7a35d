import { Readable } from 'node:stream';

/**
 * Destroys a stream with `reason` on purpose: its reader fails with it, and
 * when the reader has already let go (it stopped at the same moment), the
 * error event finds a listener instead of crashing the process as unhandled.
 */
export function stopStream(stream: Readable, reason: Error): void {
  stream.on('error', () => undefined);
  stream.destroy(reason);
}
