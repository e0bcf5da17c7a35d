/** Just enough of XMLHttpRequest to drive startUpload: tests fire its events by hand. */
export class FakeXhr {
  readonly upload = new EventTarget();
  private readonly events = new EventTarget();
  method = '';
  url = '';
  readonly headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  aborted = false;

  addEventListener(type: string, listener: EventListener): void {
    this.events.addEventListener(type, listener);
  }
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body: FormData): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
    this.events.dispatchEvent(new Event('abort'));
  }

  progress(loaded: number, total: number): void {
    const event = Object.assign(new Event('progress'), { lengthComputable: true, loaded, total });
    this.upload.dispatchEvent(event);
  }
  sent(): void {
    this.upload.dispatchEvent(new Event('load'));
  }
  answer(status: number, body: unknown, statusText = ''): void {
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.events.dispatchEvent(new Event('load'));
  }
  fail(): void {
    this.events.dispatchEvent(new Event('error'));
  }
}
