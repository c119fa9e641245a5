// Bad-input corpus through the running platform's API: the CLI's bad files plus oversized bodies,
// wrong content types, path tricks and a 1000-part multipart. Every one must be a 4xx with a
// reason; the server must stay up and its memory bounded.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeGreyStripTiff, writePngBomb, writeTruncatedCopy } from '../../../gpu-worker/test/image/fixtures';
import { bodyOf, fetchWithin, syntheticPng } from '../support/platform-api';
import { type PlatformProcess, startPlatformProcess } from '../support/platform-process';

jest.setTimeout(120_000);

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
let dir: string;
let platform: PlatformProcess;
let png: Buffer;
const files: Record<string, Buffer> = {};

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-bad-api-'));
  png = await syntheticPng(320, 3);
  const full = path.join(dir, 'full.png');
  await writeFile(full, png);
  const jpeg = path.join(dir, 'full.jpg');
  await sharp(png).jpeg().toFile(jpeg);
  files['truncated PNG'] = await readFile(writeTruncatedCopy(full, path.join(dir, 't.png'), 0.5));
  files['truncated JPEG'] = await readFile(writeTruncatedCopy(jpeg, path.join(dir, 't.jpg'), 0.5));
  files['truncated TIFF'] = await readFile(writeTruncatedCopy(writeGreyStripTiff(path.join(dir, 'full.tif'), 300, 300), path.join(dir, 't.tif'), 0.5));
  files['text file named .png'] = Buffer.from('hello, this is not an image\n');
  files['zero-byte file'] = Buffer.alloc(0);
  files['30000 x 30000 PNG bomb'] = await readFile(writePngBomb(path.join(dir, 'bomb.png'), 30000, 30000));
  files.SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><circle r="50"/></svg>');
  files['10 x 10 image'] = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#a06040' } }).png().toBuffer();
  platform = await startPlatformProcess({ dataDir: path.join(dir, 'data'), workers: 0, env: { RESTAIN_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
});

afterAll(async () => {
  await platform?.stop('SIGTERM', 20_000).catch(() => platform.killHard());
  await rm(dir, { recursive: true, force: true });
});

function form(field: string, bytes: Buffer, filename = 'image.png', type = 'application/octet-stream'): FormData {
  const body = new FormData();
  body.append(field, new Blob([bodyOf(bytes)], { type }), filename);
  return body;
}

async function expectRefused(response: Response, status: number | RegExp, reason: RegExp = /./): Promise<void> {
  const text = await response.text();
  const shown = `${response.status} ${text.slice(0, 300)}`;
  if (typeof status === 'number') expect(shown).toMatch(new RegExp(`^${status} `));
  else expect(shown).toMatch(status);
  const body = JSON.parse(text);
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message).toMatch(reason);
}

/** Raw HTTP for what fetch will not send (a path with `..`, a huge header). */
function rawRequest(options: { path: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  const url = new URL(platform.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'GET', path: options.path, headers: options.headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('raw request timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('bad input through the API: a 4xx with a reason each, nothing stored', () => {
  let rssBefore: number;
  beforeAll(async () => {
    rssBefore = await rssBytes(platform.pid);
  });

  it.each([
    ['truncated PNG', 422, /truncated|corrupt|damaged/i],
    ['truncated JPEG', 422, /truncated|corrupt|damaged/i],
    ['truncated TIFF', 422, /truncated|corrupt|damaged/i],
    ['text file named .png', 415, /not an image|text|format/i],
    ['zero-byte file', 422, /empty/i],
    ['30000 x 30000 PNG bomb', 413, /30000/],
    ['SVG', 415, /svg|format/i],
    ['10 x 10 image', 422, /small/i],
  ])('POST /api/jobs with a %s -> %i', async (name, status, reason) => {
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', body: form('file', files[name]) }), status, reason);
  });

  it.each([
    ['truncated PNG', 422],
    ['30000 x 30000 PNG bomb', 413],
    ['text file named .png', 415],
  ])('POST /api/infer (DeepLIIF) with a %s -> %i', async (name, status) => {
    await expectRefused(await fetchWithin(`${platform.url}/api/infer`, { method: 'POST', body: form('img', files[name]) }), status);
  });

  it('an oversized body is 413 without being stored', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1024 * 1024, 7);
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', body: form('file', big) }), 413, /bytes/);
    await expectRefused(await fetchWithin(`${platform.url}/api/infer`, { method: 'POST', body: form('img', big) }), 413, /bytes/);
  });

  it('wrong content types are 415; malformed bodies 400', async () => {
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }), 415, /multipart/);
    await expectRefused(await fetchWithin(`${platform.url}/api/infer`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bodyOf(png) }), 415);
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resolution": ' }), 400);
    await expectRefused(
      await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: 'not multipart at all' }),
      400,
    );
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', body: form('picture', png) }), 400, /file/);
    await expectRefused(await fetchWithin(`${platform.url}/api/infer?resolution=30x`, { method: 'POST', body: form('img', png) }), 400, /resolution/);
  });

  it('a 1000-part multipart is refused', async () => {
    const body = new FormData();
    for (let n = 0; n < 1000; n++) body.append(`field${n}`, 'x');
    body.append('file', new Blob([bodyOf(png)]), 'image.png');
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', body }), /^(400|413) /);
    // One real image then 999 tiny ones: the part count is under test, not the byte limit (a body
    // of 1000 full images is ~100s of MB, which the server rightly cuts off after answering).
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const parts = new FormData();
    parts.append('img', new Blob([bodyOf(png)]), 'image0.png');
    for (let n = 1; n < 1000; n++) parts.append('img', new Blob([bodyOf(tiny)]), `image${n}.png`);
    await expectRefused(await fetchWithin(`${platform.url}/api/infer`, { method: 'POST', body: parts }), /^(400|413) /);
  });

  it('path tricks reach no file: names are display text, keys and ids are checked', async () => {
    const created = await fetchWithin(`${platform.url}/api/jobs`, { method: 'POST', body: form('file', png, '../../state/signing-secret.png') });
    expect(created.status).toBe(201);
    const { job } = await created.json();
    expect(job.displayName).not.toMatch(/[/\\]/);
    for (const trick of ['/api/jobs/..%2F..%2Fstate%2Fsigning-secret', `/api/jobs/${job.id}/files/..%2F..%2F..%2Fstate%2Fsigning-secret`, '/api/objects/state/signing-secret', '/api/objects/..%2Fetc%2Fpasswd', '/api/objects/%2e%2e/state/signing-secret']) {
      const answer = await rawRequest({ path: trick });
      expect(`${trick} ${answer.status}`).toMatch(/ 4\d\d$/);
      expect(answer.body).not.toMatch(/^[0-9a-f]{64}\s*$/);
    }
    expect((await rawRequest({ path: '/api/health', headers: { 'x-big': 'a'.repeat(64 * 1024) } })).status).toBe(431);
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { headers: { authorization: 'Basic abc' } }), 401);
    await expectRefused(await fetchWithin(`${platform.url}/api/nothing-here`), 404);
    await expectRefused(await fetchWithin(`${platform.url}/api/jobs`, { method: 'PATCH' }), 405);
  });

  it('the server is still up, nothing was left in its scratch space, and memory stayed bounded', async () => {
    expect((await fetchWithin(`${platform.url}/api/health`)).status).toBe(200);
    expect(await readdir(path.join(platform.dataDir, 'tmp'))).toEqual([]);
    const inputs = await readdir(path.join(platform.dataDir, 'inputs')).catch(() => []);
    expect(inputs).toHaveLength(1); // the path-trick job's, stored under its id
    const growth = (await rssBytes(platform.pid)) - rssBefore;
    expect(growth).toBeLessThan(150 * 1024 * 1024);
  });
});
