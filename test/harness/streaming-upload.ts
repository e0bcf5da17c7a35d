import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { HttpResult } from './http';

/** A multipart upload whose file part is sent piece by piece: the test decides what happens while it is in flight. */
export interface StreamingUpload {
  /** Sends more of the file; resolves once the socket took it. */
  write(text: string): Promise<void>;
  /** Sends the end of the file and of the multipart body. */
  end(): void;
  /** The answer, whenever the server sends it (possibly before end()). */
  readonly response: Promise<HttpResult>;
}

export function startStreamingUpload(baseUrl: string, path: string, filename = 'upload.csv'): StreamingUpload {
  const boundary = `----dbm${randomBytes(8).toString('hex')}`;
  const req = request(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
  });
  const response = new Promise<HttpResult>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => {
        const headers = new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        const json = (res.headers['content-type'] ?? '').includes('json') && text;
        resolve({ status: res.statusCode ?? 0, headers, body: json ? JSON.parse(text) : text, text });
      });
    });
    req.once('error', reject);
  });
  // The server may answer and close while the test still writes: that is for the test to see in `response`.
  response.catch(() => undefined);
  req.on('error', () => undefined);
  req.write(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: text/csv\r\n\r\n`);
  return {
    write: (text) =>
      new Promise<void>((resolve) => {
        if (req.destroyed) return resolve();
        if (req.write(text)) resolve();
        else {
          const done = (): void => {
            req.off('drain', done);
            req.off('close', done);
            resolve();
          };
          req.on('drain', done);
          req.on('close', done);
        }
      }),
    end: () => {
      if (!req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
    },
    response,
  };
}
