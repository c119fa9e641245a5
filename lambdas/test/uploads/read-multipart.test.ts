import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RestainError } from '@restain/shared';
import type { ApiRequest } from '../../src/api/http-types';
import { type MultipartLimits, readMultipart } from '../../src/uploads/read-multipart';

const BOUNDARY = 'test-boundary-7MA4YWxkTrZu0gW';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

let tempDir: string;
let limits: MultipartLimits;

beforeEach(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restain-multipart-'));
  limits = { maxFileBytes: 64 * 1024, maxFiles: 2, maxFields: 4, maxParts: 6, tempDir };
});
afterEach(() => fs.rmSync(tempDir, { recursive: true, force: true }));

function filePart(name: string, filename: string, content: Buffer, type = 'image/png'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from('\r\n'),
  ]);
}

function fieldPart(name: string, value: string): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
}

const CLOSING = Buffer.from(`--${BOUNDARY}--\r\n`);

/** A request whose body is produced lazily by `chunks`; `pulled` counts the chunks read. */
function request(chunks: Iterable<Buffer> | AsyncIterable<Buffer>, contentType: string | null = CONTENT_TYPE, signal = new AbortController().signal) {
  const state = { pulled: 0 };
  async function* body() {
    for await (const chunk of chunks) {
      state.pulled++;
      yield new Uint8Array(chunk);
    }
  }
  const req: ApiRequest = {
    method: 'POST',
    path: '/api/test',
    query: new URLSearchParams(),
    headers: { 'content-type': contentType ?? undefined },
    body: body(),
    clientAddress: '127.0.0.1',
    signal,
  };
  return { req, state };
}

/** Split a buffer into chunks of `size` bytes (a body as it arrives from a socket). */
function* chunked(buffer: Buffer, size = 4096): Iterable<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function expectRefused(promise: Promise<unknown>, code: string, status: number, message: RegExp): Promise<void> {
  const error = await promise.then(() => new Error('accepted'), (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RestainError);
  expect(error).toMatchObject({ code, httpStatus: status });
  expect((error as Error).message).toMatch(message);
  // No temporary file survives a refused upload.
  expect(fs.readdirSync(tempDir)).toEqual([]);
}

describe('readMultipart', () => {
  it('streams files to temporary files and returns the fields; cleanup removes them', async () => {
    const image = Buffer.alloc(50_000, 7);
    const body = Buffer.concat([fieldPart('note', 'héllo'), filePart('img', '../../ROI_1.png', image), filePart('seg_img', 'seg.png', Buffer.from('seg')), CLOSING]);
    const form = await readMultipart(request(chunked(body, 999)).req, limits);
    expect(form.fields).toEqual({ note: 'héllo' });
    expect(Object.keys(form.files).sort()).toEqual(['img', 'seg_img']);
    expect(form.files.img).toMatchObject({ filename: 'ROI_1.png', mimeType: 'image/png', sizeBytes: 50_000 });
    expect(fs.readFileSync(form.files.img.path).equals(image)).toBe(true);
    expect(path.dirname(form.files.img.path).startsWith(tempDir)).toBe(true);
    await form.cleanup();
    expect(fs.existsSync(form.files.img.path)).toBe(false);
    expect(fs.readdirSync(tempDir)).toEqual([]);
  });

  it('answers 415 for a body that is not multipart/form-data', async () => {
    await expectRefused(readMultipart(request([Buffer.from('{}')], 'application/json').req, limits), 'UNSUPPORTED_MEDIA_TYPE', 415, /Expected a multipart\/form-data body but received "application\/json"/);
    await expectRefused(readMultipart(request([Buffer.from('x')], null).req, limits), 'UNSUPPORTED_MEDIA_TYPE', 415, /received no content type/);
  });

  it('answers 400 for a multipart content type without a boundary', async () => {
    await expectRefused(readMultipart(request([CLOSING], 'multipart/form-data').req, limits), 'INVALID_ARGUMENT', 400, /with a boundary/);
  });

  it('answers 413 for a file over the limit and stops reading the body', async () => {
    const { req, state } = request(
      (function* () {
        yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="img"; filename="big.png"\r\n\r\n`);
        // 100 MB if anyone read it all.
        for (let i = 0; i < 1600; i++) yield Buffer.alloc(64 * 1024, 1);
      })(),
    );
    await expectRefused(readMultipart(req, limits), 'PAYLOAD_TOO_LARGE', 413, /File "img" is larger than the limit of 65536 bytes/);
    expect(state.pulled).toBeLessThan(6);
  });

  it('refuses a 1000-part body quickly, after reading only the first parts', async () => {
    const { req, state } = request(
      (function* () {
        for (let i = 0; i < 1000; i++) yield fieldPart(`f${i}`, 'x');
        yield CLOSING;
      })(),
    );
    const started = Date.now();
    await expectRefused(readMultipart(req, limits), 'INVALID_ARGUMENT', 400, /Expected at most 4 text field\(s\)|Expected at most 6 parts/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(state.pulled).toBeLessThan(10);
  });

  it('refuses more parts than allowed even within the file and field limits', async () => {
    limits = { ...limits, maxFields: 100, maxParts: 3 };
    const parts = [fieldPart('a', '1'), fieldPart('b', '2'), fieldPart('c', '3'), fieldPart('d', '4'), CLOSING];
    await expectRefused(readMultipart(request(parts).req, limits), 'INVALID_ARGUMENT', 400, /Expected at most 3 parts in the form but received more/);
    // Exactly the limit is fine.
    const form = await readMultipart(request([fieldPart('a', '1'), fieldPart('b', '2'), fieldPart('c', '3'), CLOSING]).req, limits);
    expect(Object.keys(form.fields)).toEqual(['a', 'b', 'c']);
    await form.cleanup();
  });

  it('answers 400 for too many files, a repeated field and a truncated body, removing written files', async () => {
    const three = [filePart('a', 'a.png', Buffer.from('1')), filePart('b', 'b.png', Buffer.from('2')), filePart('c', 'c.png', Buffer.from('3')), CLOSING];
    await expectRefused(readMultipart(request(three).req, limits), 'INVALID_ARGUMENT', 400, /Expected at most 2 file\(s\)/);
    const twice = [filePart('img', 'a.png', Buffer.from('1')), filePart('img', 'b.png', Buffer.from('2')), CLOSING];
    await expectRefused(readMultipart(request(twice).req, limits), 'INVALID_ARGUMENT', 400, /"img" appears more than once/);
    const cut = [filePart('img', 'a.png', Buffer.alloc(10_000, 3)).subarray(0, 5000)];
    await expectRefused(readMultipart(request(cut).req, limits), 'INVALID_ARGUMENT', 400, /Malformed multipart body: Unexpected end of form/);
  });

  it('answers 413 for an over-long field and for a body larger than the limits allow', async () => {
    await expectRefused(readMultipart(request([fieldPart('note', 'x'.repeat(70_000)), CLOSING]).req, limits), 'PAYLOAD_TOO_LARGE', 413, /Field "note" is longer than the limit/);
    // A preamble is legal multipart but no reason to accept megabytes of it.
    const preamble = (function* () {
      for (let i = 0; i < 1000; i++) yield Buffer.alloc(64 * 1024, 0x20);
    })();
    await expectRefused(readMultipart(request(preamble).req, limits), 'PAYLOAD_TOO_LARGE', 413, /request body is larger than the limit/);
  });

  it('answers 408 when the request is aborted', async () => {
    const controller = new AbortController();
    const { req } = request(
      (async function* () {
        yield filePart('img', 'a.png', Buffer.alloc(1000, 1));
        controller.abort();
        yield Buffer.alloc(1000, 1);
      })(),
      CONTENT_TYPE,
      controller.signal,
    );
    await expectRefused(readMultipart(req, limits), 'REQUEST_TIMEOUT', 408, /aborted before its body arrived completely/);
  });
});
