import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerSortedList } from './sorted-list-objects';
import { type BufferedAnswer, etagOfAnswer, readBody, requestUpstream, s3ErrorAnswer, sendAnswer, waitUntilStored } from './upstream-http';

/**
 * An S3-protocol shim in front of s3rver that supplies what s3rver lacks, so adapters meet S3's
 * semantics over loopback:
 *   - conditional writes: the real `If-None-Match` / `If-Match` headers the SDK sends on
 *     PutObject and CompleteMultipartUpload are enforced as S3 does (412 PreconditionFailed; 404
 *     NoSuchKey for If-Match on an absent key), check and write under a per-key lock, so racing
 *     writers see exactly one winner;
 *   - atomic, durable writes: a write's body is read whole before anything is forwarded (a body
 *     that fails stores nothing), reads and writes of one key take turns (s3rver rewrites files in
 *     place), and a write is acknowledged only once s3rver serves its bytes (s3rver answers before
 *     its file write is flushed);
 *   - ListObjectsV2 in UTF-8 byte order (sorted-list-objects.ts; s3rver lists in folder-walk order);
 *   - AbortMultipartUpload (s3rver: MethodNotAllowed) answered 204.
 * Everything else is forwarded as sent (s3rver does not check SigV4 signatures, so the Host header
 * stays the client's). It records each request's method, key and conditional headers for
 * assertions and can inject S3 error answers. Path-style requests only (forcePathStyle).
 */

export interface RecordedRequest {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  /** Query parameter names (uploadId, partNumber, list-type, ...). */
  readonly query: readonly string[];
  readonly ifNoneMatch?: string;
  readonly ifMatch?: string;
  readonly contentType?: string;
}

export interface InjectedFault {
  readonly status: number;
  readonly code: string;
  /** How many matching requests get the fault (default 1). */
  readonly times?: number;
  /** Which requests (default: every request to an object key). */
  readonly when?: (request: RecordedRequest) => boolean;
}

export interface ConditionalWriteProxy {
  /** `http://127.0.0.1:<port>`: the endpoint to give an S3 client. */
  readonly endpoint: string;
  /** Every request seen, oldest first. */
  readonly requests: RecordedRequest[];
  /** Answer the next matching request(s) with an S3 error instead of forwarding. */
  injectFault(fault: InjectedFault): void;
  stop(): Promise<void>;
}

const MESSAGES: Record<string, string> = {
  PreconditionFailed: 'At least one of the pre-conditions you specified did not hold',
  NoSuchKey: 'The specified key does not exist.',
  NotImplemented: 'A header you provided implies functionality that is not implemented',
};

function headerOf(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Query parameters that only carry auth, the SDK's operation name or response overrides: not a subresource. */
const isPlainParameter = (name: string): boolean => /^x-amz-/i.test(name) || name === 'x-id' || name.startsWith('response-');

const unquote = (etag: string): string => etag.replace(/"/g, '');

/** Starts the shim on 127.0.0.1 (any free port) in front of the s3rver at `upstreamEndpoint`. */
export async function startConditionalWriteProxy(upstreamEndpoint: string): Promise<ConditionalWriteProxy> {
  const upstream = new URL(upstreamEndpoint);
  const requests: RecordedRequest[] = [];
  const faults: { fault: InjectedFault; left: number }[] = [];
  const keyLocks = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier locked action on the same key has finished (a per-key FIFO lock). */
  const underLock = <T>(lockKey: string, work: () => Promise<T>): Promise<T> => {
    const previous = keyLocks.get(lockKey) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.then(() => undefined, () => undefined);
    keyLocks.set(lockKey, tail);
    void tail.then(() => keyLocks.get(lockKey) === tail && keyLocks.delete(lockKey));
    return current;
  };

  /** S3's answer to a conditional write of `path` as it stands now, or undefined when the write may go ahead. */
  const refusal = async (recorded: RecordedRequest, path: string): Promise<BufferedAnswer | undefined> => {
    const { ifNoneMatch, ifMatch } = recorded;
    if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
    if (ifNoneMatch !== undefined && ifNoneMatch !== '*') return s3ErrorAnswer(501, 'NotImplemented', MESSAGES.NotImplemented);
    const head = await requestUpstream(upstream, 'HEAD', path, {});
    if (head.status !== 200 && head.status !== 404) return s3ErrorAnswer(500, 'InternalError', `s3rver answered HEAD ${path} with ${head.status}`);
    const current = head.status === 200 ? String(head.headers.etag ?? '') : undefined;
    if (ifNoneMatch === '*' && current !== undefined) return s3ErrorAnswer(412, 'PreconditionFailed', MESSAGES.PreconditionFailed);
    if (ifMatch !== undefined && current === undefined) return s3ErrorAnswer(404, 'NoSuchKey', MESSAGES.NoSuchKey);
    if (ifMatch !== undefined && unquote(ifMatch) !== unquote(current as string)) return s3ErrorAnswer(412, 'PreconditionFailed', MESSAGES.PreconditionFailed);
    return undefined;
  };

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://shim');
    const [bucket = '', ...keyParts] = url.pathname.slice(1).split('/');
    const method = request.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      bucket: decodeURIComponent(bucket),
      key: decodeURIComponent(keyParts.join('/')),
      query: [...url.searchParams.keys()],
      ifNoneMatch: headerOf(request, 'if-none-match'),
      ifMatch: headerOf(request, 'if-match'),
      contentType: headerOf(request, 'content-type'),
    };
    requests.push(recorded);
    const isObject = recorded.key !== '';
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request); // whole, before any lock: S3 stores nothing of a body that never arrives
    const fault = faults.find((entry) => entry.left > 0 && (entry.fault.when ? entry.fault.when(recorded) : isObject));
    if (fault) {
      fault.left--;
      return sendAnswer(method, response, s3ErrorAnswer(fault.fault.status, fault.fault.code, fault.fault.code));
    }
    const subresources = recorded.query.filter((name) => !isPlainParameter(name));
    const has = (name: string): boolean => subresources.includes(name);
    if (method === 'DELETE' && has('uploadId')) {
      return sendAnswer(method, response, { status: 204, headers: {}, body: Buffer.alloc(0) }); // AbortMultipartUpload: s3rver keeps nothing worth undoing
    }
    if (method === 'GET' && !isObject && url.searchParams.get('list-type') === '2' && !has('delimiter')) {
      return answerSortedList(upstream, recorded.bucket, url, response);
    }
    const path = `/${bucket}/${keyParts.join('/')}`;
    const isPut = method === 'PUT' && subresources.length === 0 && request.headers['x-amz-copy-source'] === undefined;
    const isComplete = method === 'POST' && has('uploadId');
    const isWrite = isObject && (isPut || isComplete || (method === 'DELETE' && subresources.length === 0));
    const isRead = isObject && (method === 'GET' || method === 'HEAD') && subresources.length === 0;
    const forward = (): Promise<BufferedAnswer> => requestUpstream(upstream, method, request.url ?? '/', request.headers, body);
    if (!isWrite && !isRead) return sendAnswer(method, response, await forward());
    // Reads and writes of one key take turns: s3rver rewrites files in place, S3 swaps whole objects.
    const answer = await underLock(path, async () => {
      const refused = isWrite ? await refusal(recorded, path) : undefined;
      if (refused) return refused;
      const forwarded = await forward();
      const etag = (isPut || isComplete) && forwarded.status === 200 ? etagOfAnswer(forwarded) : undefined;
      if (etag) await waitUntilStored(upstream, path, etag);
      return forwarded;
    });
    await sendAnswer(method, response, answer);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (request.destroyed || request.readableAborted) return response.destroy(); // the client went away mid-body
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`shim failure: ${error.message}`);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    injectFault(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
