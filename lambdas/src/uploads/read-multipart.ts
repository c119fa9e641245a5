import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { RestainError } from '@restain/shared';
import type { ApiRequest } from '../api/http-types';
import { isOutOfSpaceError } from './out-of-space';

/** One uploaded file, streamed to a temporary file (removed by MultipartForm.cleanup). */
export interface UploadedFile {
  readonly path: string;
  /** The name the client gave (busboy keeps its last path segment only); display text, unsanitised. */
  readonly filename: string;
  /** The type the client claimed; never trusted (validation goes by content). */
  readonly mimeType: string;
  readonly sizeBytes: number;
}

export interface MultipartForm {
  readonly fields: Record<string, string>;
  /** Files by field name. */
  readonly files: Record<string, UploadedFile>;
  /** Remove the temporary files. */
  cleanup(): Promise<void>;
}

export interface MultipartLimits {
  /** Largest accepted file, in bytes (larger: 413). */
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxFields: number;
  /** Files + fields; a body with more is refused as soon as the extra part ends (400). */
  readonly maxParts: number;
  /** Folder that receives the temporary files. */
  readonly tempDir: string;
}

/** Largest text field value in bytes (413 above). */
export const MAX_FIELD_BYTES = 64 * 1024;
/** Bytes of boundaries and part headers allowed per part on top of the content limits. */
const PART_OVERHEAD_BYTES = 16 * 1024;

const badRequest = (message: string) => new RestainError('INVALID_ARGUMENT', message);

/** Parse the content type: 415 unless multipart/form-data, 400 when it has no usable boundary. */
function checkContentType(contentType: string | undefined): string {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type !== 'multipart/form-data') {
    throw new RestainError('UNSUPPORTED_MEDIA_TYPE', `Expected a multipart/form-data body but received ${contentType ? JSON.stringify(contentType) : 'no content type'}`);
  }
  return contentType as string;
}

/**
 * Stream a multipart/form-data body to temporary files: no file is ever held in memory, and
 * reading stops at the first broken limit. Errors: 415 not multipart/form-data; 413 a file or
 * field over its limit, or a body larger than the limits allow; 400 malformed, too many parts,
 * files or fields, or a repeated field name. On any error the temporary files are removed.
 */
export async function readMultipart(request: ApiRequest, limits: MultipartLimits): Promise<MultipartForm> {
  const contentType = checkContentType(request.headers['content-type']);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      // One more than allowed, so the limit events mean "exceeded" (busboy fires on reaching them).
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: limits.maxFields, parts: limits.maxParts + 1, fieldSize: MAX_FIELD_BYTES, headerPairs: 16 },
    });
  } catch (error) {
    throw badRequest(`Expected a multipart/form-data content type with a boundary but received ${JSON.stringify(contentType)}: ${(error as Error).message}`);
  }
  const dir = await mkdtemp(path.join(limits.tempDir, 'upload-'));
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  const writes: Promise<void>[] = [];
  // Aborting settles every file write at once (destroying a busboy file stream with data still
  // buffered can leave its pipeline pending forever).
  const stopWrites = new AbortController();
  let failure: RestainError | undefined;
  let signalFailure: () => void = () => undefined;
  // Settles at the first failure: every wait below races it, so nothing waits on a dead upload.
  const failed = new Promise<void>((resolve) => (signalFailure = resolve));
  const fail = (error: RestainError): void => {
    failure ??= error;
    stopWrites.abort();
    signalFailure();
  };
  const seen = (name: string): boolean => Object.hasOwn(fields, name) || Object.hasOwn(files, name);
  const duplicate = (name: string) => badRequest(`Expected each form field once but ${JSON.stringify(name)} appears more than once`);

  parser.on('file', (name, stream, info) => {
    // Its errors reach us through the pipeline (or do not matter once refused); none goes unhandled.
    stream.on('error', () => undefined);
    if (failure) return void stream.resume();
    if (seen(name)) {
      stream.resume();
      return fail(duplicate(name));
    }
    const record = { path: path.join(dir, `part-${writes.length}`), filename: info.filename ?? '', mimeType: info.mimeType, sizeBytes: 0 };
    files[name] = record;
    stream.on('data', (chunk: Buffer) => void (record.sizeBytes += chunk.length));
    stream.on('limit', () => fail(new RestainError('PAYLOAD_TOO_LARGE', `File ${JSON.stringify(name)} is larger than the limit of ${limits.maxFileBytes} bytes`)));
    const write = pipeline(stream, createWriteStream(record.path), { signal: stopWrites.signal });
    writes.push(write.catch((error: Error) => fail(writeFailure(name, error))));
  });
  parser.on('field', (name, value, info) => {
    if (failure) return;
    if (info.valueTruncated) return fail(new RestainError('PAYLOAD_TOO_LARGE', `Field ${JSON.stringify(name)} is longer than the limit of ${MAX_FIELD_BYTES} bytes`));
    if (seen(name)) return fail(duplicate(name));
    fields[name] = value;
  });
  parser.on('partsLimit', () => fail(badRequest(`Expected at most ${limits.maxParts} parts in the form but received more`)));
  parser.on('filesLimit', () => fail(badRequest(`Expected at most ${limits.maxFiles} file(s) in the form but received more`)));
  parser.on('fieldsLimit', () => fail(badRequest(`Expected at most ${limits.maxFields} text field(s) in the form but received more`)));
  parser.on('error', (error: Error) => fail(badRequest(`Malformed multipart body: ${error.message}`)));
  const closed = new Promise<void>((resolve) => parser.once('close', resolve));

  try {
    await feed(request, parser, maxBodyBytes(limits), () => failure !== undefined, failed);
    await Promise.race([closed, failed]);
    await Promise.all(writes);
    if (failure) throw failure;
    return { fields, files, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    stopWrites.abort();
    parser.destroy();
    await Promise.allSettled(writes);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Why a file could not be stored: the disk (507), the server (500) or the body itself (400). */
function writeFailure(field: string, error: Error): RestainError {
  if (isOutOfSpaceError(error)) return new RestainError('INSUFFICIENT_STORAGE', 'The server ran out of storage space while receiving the upload; try again later', { cause: error });
  if ((error as NodeJS.ErrnoException).syscall) return new RestainError('INTERNAL', `The upload of ${JSON.stringify(field)} could not be stored: ${error.message}`, { cause: error });
  return badRequest(`File ${JSON.stringify(field)} could not be read: ${error.message}`);
}

/** The most a body within the limits can hold, boundaries and part headers included. */
function maxBodyBytes(limits: MultipartLimits): number {
  return limits.maxFiles * limits.maxFileBytes + limits.maxFields * MAX_FIELD_BYTES + (limits.maxParts + 1) * PART_OVERHEAD_BYTES;
}

/** Write the request body into the parser with backpressure, stopping at the first failure. */
async function feed(request: ApiRequest, parser: busboy.Busboy, maxBytes: number, hasFailed: () => boolean, failed: Promise<void>): Promise<void> {
  const aborted = () => new RestainError('REQUEST_TIMEOUT', 'The request was aborted before its body arrived completely');
  if (request.signal.aborted) throw aborted();
  let received = 0;
  for await (const chunk of request.body) {
    // Leaving the loop ends the body's iterator: the rest of the body is never read.
    if (hasFailed()) return;
    if (request.signal.aborted) throw aborted();
    received += chunk.length;
    if (received > maxBytes) throw new RestainError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${maxBytes} bytes`);
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain').catch(() => undefined), failed]);
  }
  if (!hasFailed()) parser.end();
}
