import { createHash } from 'node:crypto';
import http from 'node:http';

/** A whole HTTP answer held in memory. */
export interface BufferedAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Reads a request's whole body; rejects if the client goes away first. */
export function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
    request.on('aborted', () => reject(new Error('client went away')));
  });
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'expect', 'upgrade', 'proxy-connection'];

/** Sends one request to the server at `upstream` and buffers its whole answer. */
export function requestUpstream(upstream: URL, method: string, path: string, headers: http.IncomingHttpHeaders, body?: Buffer): Promise<BufferedAnswer> {
  const outgoing: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete outgoing[name];
  if (body !== undefined) outgoing['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: upstream.hostname, port: upstream.port, method, path, headers: outgoing }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Writes a buffered answer to the client (HEAD answers keep their content-length and send no body). */
export function sendAnswer(method: string, response: http.ServerResponse, answer: BufferedAnswer): Promise<void> {
  const headers: http.OutgoingHttpHeaders = { ...answer.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  if (method !== 'HEAD') headers['content-length'] = String(answer.body.length);
  return new Promise((resolve) => {
    response.writeHead(answer.status, headers);
    response.end(method === 'HEAD' ? undefined : answer.body, () => resolve());
  });
}

/** An S3 error document answer. */
export function s3ErrorAnswer(status: number, code: string, message: string): BufferedAnswer {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>shim</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'shim' }, body: Buffer.from(body, 'utf8') };
}

/** The MD5 ETag a successful s3rver PutObject (header) or CompleteMultipartUpload (XML) answered with. */
export function etagOfAnswer(answer: BufferedAnswer): string | undefined {
  const header = answer.headers.etag;
  const text = typeof header === 'string' ? header : /<ETag>([^<]*)<\/ETag>/.exec(answer.body.toString('utf8'))?.[1];
  return text?.replace(/&quot;|"/g, '');
}

/**
 * Waits (bounded) until s3rver serves bytes whose MD5 is `etag` at `path`. s3rver answers a
 * PutObject once the body has passed its hashing stream, before its in-place file write is
 * flushed; S3 acknowledges only a durable, whole object.
 */
export async function waitUntilStored(upstream: URL, path: string, etag: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await requestUpstream(upstream, 'GET', path, {});
    if (answer.status === 200 && createHash('md5').update(answer.body).digest('hex') === etag) return;
    if (Date.now() > deadline) throw new Error(`Expected s3rver to store ${path} with MD5 ${etag} within ${timeoutMs} ms but it did not`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
