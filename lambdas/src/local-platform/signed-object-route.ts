import { randomUUID } from 'node:crypto';
import { RestainError, assertObjectKey, isRestainError } from '@restain/shared';
import type { LocalFolderObjectStore } from '@restain/shared/node';
import { SECURITY_HEADERS, errorResponse } from '../api/error-response';
import { HttpError } from '../api/http-error';
import type { ApiRequest, ApiResponse } from '../api/http-types';
import { json } from '../api/http-types';
import { assertDeclaredLength, mediaType } from '../api/read-body';
import { contentTypeForFile } from '../jobs/result-view';
import type { ExtraRoute } from './node-server';

/** Where signed URLs of the local object store point (LocalFolderObjectStore's signedUrlBase + this). */
export const SIGNED_OBJECT_PATH_PREFIX = '/api/objects/';

export interface SignedObjectRouteOptions {
  readonly objects: LocalFolderObjectStore;
  /** Largest object a signed PUT may write (413 beyond, nothing stored). */
  readonly maxUploadBytes: number;
  /** Called after a PUT stored its object (the local platform starts validation for uploads/{jobId}). */
  readonly onUploaded?: (key: string) => Promise<void>;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
}

/** The body, failing with PAYLOAD_TOO_LARGE the moment it passes the limit (the store then discards its temp file). */
async function* limitBody(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new RestainError('PAYLOAD_TOO_LARGE', `Expected an upload of at most ${maxBytes} bytes but received more`);
    yield chunk;
  }
}

function attachmentName(name: string): string {
  return name.replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'download';
}

async function handleSigned(request: ApiRequest, options: SignedObjectRouteOptions, now: () => Date, log: (line: string) => void): Promise<ApiResponse> {
  const key = request.path.slice(SIGNED_OBJECT_PATH_PREFIX.length);
  assertObjectKey(key);
  const method = request.method;
  if (method !== 'GET' && method !== 'PUT') {
    throw new HttpError('METHOD_NOT_ALLOWED', `Expected GET or PUT on a signed object URL but received ${method}`, { allow: 'GET, PUT' });
  }
  const grant = options.objects.verifySignedRequest(method, key, request.query, now());
  if (method === 'PUT') {
    if (grant.contentType !== undefined && mediaType(request) !== grant.contentType.toLowerCase()) {
      throw new RestainError('UNAUTHENTICATED', `Expected Content-Type ${grant.contentType} (the URL was signed for it) but received ${JSON.stringify(mediaType(request) || 'none')}`);
    }
    assertDeclaredLength(request, options.maxUploadBytes);
    // Create-only: while an upload waits to be taken in, a second PUT is 412 and the first stays. Once
    // taken in, the raw upload is gone and a repeat PUT is ignored by acceptUpload (as a repeated S3 event).
    const info = await options.objects.put(key, limitBody(request.body, options.maxUploadBytes), { ifNoneMatch: '*' });
    if (options.onUploaded) {
      try {
        await options.onUploaded(key);
      } catch (error) {
        // As with S3 + its event-driven validator: the upload itself succeeded; a bad image is
        // reported on the job record, and only unexpected failures are worth a log line.
        if (!isRestainError(error) || error.httpStatus >= 500) log(`[objects] processing ${key} after upload failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
    return json(200, { key, sizeBytes: info.sizeBytes }, { etag: `"${info.etag}"` });
  }
  const object = await options.objects.get(key);
  if (!object) throw new RestainError('NOT_FOUND', `No object ${key}`);
  const headers: Record<string, string> = {
    'content-type': object.info.contentType ?? contentTypeForFile(key),
    'content-length': String(object.info.sizeBytes),
    etag: `"${object.info.etag}"`,
  };
  if (grant.downloadFilename !== undefined) headers['content-disposition'] = `attachment; filename="${attachmentName(grant.downloadFilename)}"`;
  return { status: 200, headers, body: object.body };
}

/**
 * The local stand-in for S3 presigned URLs: `/api/objects/<key>` GET and PUT, allowed only with a
 * valid, unexpired signature from LocalFolderObjectStore.presignGet/presignPut. Never throws.
 */
export function createSignedObjectRoute(options: SignedObjectRouteOptions): ExtraRoute {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.error(line));
  return {
    pathPrefix: SIGNED_OBJECT_PATH_PREFIX,
    handler: async (request) => {
      const requestId = randomUUID();
      try {
        const response = await handleSigned(request, options, now, log);
        return { ...response, headers: { ...response.headers, ...SECURITY_HEADERS, 'cache-control': 'no-store', 'x-request-id': requestId } };
      } catch (error) {
        return errorResponse(error, requestId, log, `${request.method} ${request.path.slice(0, 200)}`);
      }
    },
  };
}
