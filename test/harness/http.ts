/** Small fetch helpers: real HTTP, real multipart, as a client would send it. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function toResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, text };
}

export async function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return toResult(await fetch(baseUrl + path, { headers }));
}

export async function postJson(baseUrl: string, path: string, json: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return toResult(
    await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) }),
  );
}

/** Multipart upload: fields first, then the file part named "file". */
export async function upload(
  baseUrl: string,
  path: string,
  content: string | Buffer,
  options: { filename?: string; fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  form.append('file', new Blob([content]), options.filename ?? 'upload.csv');
  return toResult(await fetch(baseUrl + path, { method: 'POST', body: form, headers: options.headers }));
}
