import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { DEFAULT_POSTPROCESS_OPTIONS, type JobRecord } from '@restain/shared';
import { zipResultVersion } from '../../src/results/zip-results';
import { craftedSucceededJob } from './crafted-result';
import { type LocalTestContext, makeLocalContext } from './local-test-context';

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly data: Buffer;
}

/** The entries of a ZIP, read through its central directory (what unzip tools trust). */
function readZip(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    entries.push({ name, method, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks: chunks.length };
}

let local: LocalTestContext;
let job: JobRecord;

beforeAll(async () => {
  local = makeLocalContext();
  job = await craftedSucceededJob(local.context, local.objects, { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 80 });
});
afterAll(() => local.close());

describe('zipResultVersion', () => {
  it('streams every file of the version, byte for byte, PNGs stored and text deflated', async () => {
    const version = job.results[0];
    const { bytes, chunks } = await collect(zipResultVersion(local.context, version));
    expect(chunks).toBeGreaterThan(1);
    const entries = readZip(bytes);
    expect(entries.map((entry) => entry.name).sort()).toEqual([...version.files].sort());
    for (const entry of entries) {
      expect(entry.data.equals(fs.readFileSync(local.objects.localPath(`${version.prefix}${entry.name}`)))).toBe(true);
      expect(entry.method).toBe(entry.name.endsWith('.png') ? 0 : 8);
    }
  });

  it('fails with NOT_FOUND before the first byte when a file is missing', async () => {
    const version = job.results[0];
    const broken = { ...version, files: [...version.files, 'missing.png'] };
    const iterator = zipResultVersion(local.context, broken)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/missing\.png/) });
  });

  it('stops reading when the consumer stops early', async () => {
    const iterator = zipResultVersion(local.context, job.results[0])[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // The ZIP local file header signature opens the archive.
    expect(Buffer.from(first.value as Uint8Array).readUInt32LE(0)).toBe(0x04034b50);
    await expect(iterator.return!()).resolves.toMatchObject({ done: true });
  });
});
