/** RFC 9457 problem details: the one error shape of the API. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/**
 * A failure the client can act on. `code` becomes the problem `type`
 * (/problems/<code>); `extensions` are merged into the body.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers the answer carries, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  toBody(): ProblemBody {
    return {
      ...this.extensions,
      type: `/problems/${this.code}`,
      title: titleFor(this.status),
      status: this.status,
      detail: this.detail,
    };
  }
}

/** A structurally broken upload (encoding, quoting, header): 400 naming the line. */
export class FileFormatError extends ApiProblem {
  constructor(code: string, detail: string, line?: number, column?: string) {
    super(400, code, detail, { ...(line !== undefined ? { line } : {}), ...(column ? { column } : {}) });
  }
}
