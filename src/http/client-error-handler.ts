import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { AppConfig } from '../config/app-config';
import { titleFor } from '../common/api-problem';
import { PROBLEM_CONTENT_TYPE } from '../common/problem-details.filter';

type Limits = Pick<AppConfig['server'], 'maxHeaderBytes' | 'headersTimeoutMs' | 'requestTimeoutMs'>;

/**
 * What the HTTP server answers to a request it cannot hand to Fastify: headers
 * over server.max_header_bytes (431), headers or a request that did not
 * arrive in time (408), or bytes that are not HTTP (400). Problem details
 * naming the limit, like every other answer; there is no request yet, so no
 * request id. The connection is closed after it.
 */
export function problemClientErrorHandler(limits: Limits) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, detail] = describe(error.code, limits);
    const body = JSON.stringify({ type: `/problems/${code}`, title: titleFor(status), status, detail });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

function describe(code: string | undefined, limits: Limits): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'request_headers_too_large', `the request line and headers are larger than ${limits.maxHeaderBytes} bytes (server.max_header_bytes)`];
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const whole = limits.requestTimeoutMs > 0 ? `, and the whole request within ${limits.requestTimeoutMs} ms (server.request_timeout_ms)` : '';
    return [408, 'request_timeout', `the request did not arrive in time: its headers must arrive within ${limits.headersTimeoutMs} ms (server.headers_timeout_ms)${whole}`];
  }
  return [400, 'bad_request', `the request is not valid HTTP/1.1 (${code ?? 'unreadable'})`];
}
