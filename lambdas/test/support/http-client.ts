/** Small fetch helpers for tests over real HTTP. */

export interface JsonAnswer<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Sends a request and parses a JSON answer (body undefined when empty). */
export async function requestJson<T = any>(url: string, init: RequestInit & { key?: string; json?: unknown } = {}): Promise<JsonAnswer<T>> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const response = await fetch(url, { ...init, headers, body, signal: init.signal ?? AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** A multipart form with one image file under `field` plus text fields. */
export function imageForm(png: Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}, field = 'file', filename = 'slide.png'): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(field, new Blob([png], { type: 'image/png' }), filename);
  return form;
}
