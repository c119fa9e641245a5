import type { ObjectStore } from '../../src/ports/object-store';
import { expectRestainError, sleep } from './expect-restain-error';

/** What a contract run needs: a store (any existing content is left alone) and a way to clean up. */
export type MakeObjectStore = () => Promise<{ store: ObjectStore; cleanup(): Promise<void> }>;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

async function readAll(body: AsyncIterable<Uint8Array>): Promise<{ data: Uint8Array; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  const data = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (data.set(part, offset), offset + part.length), 0);
  return { data, chunks: parts.length };
}

/** A body that yields `chunks` one by one, pausing `pauseMs` before each; optionally fails at the end. */
async function* slowBody(chunks: readonly Uint8Array[], pauseMs: number, failAtEnd = false): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await sleep(pauseMs);
    yield chunk;
  }
  if (failAtEnd) throw new Error('client went away');
}

/**
 * The ObjectStore port's contract (S3 semantics): every adapter, local or AWS, must pass it.
 * Each test works under its own key prefix, so one store (one bucket) serves the whole run.
 */
export function describeObjectStoreContract(name: string, makeStore: MakeObjectStore): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    let run = 0;
    let base = '';
    beforeAll(async () => ({ store, cleanup } = await makeStore()));
    afterAll(async () => cleanup?.());
    beforeEach(() => {
      base = `contract-${Date.now().toString(36)}-${run++}/`;
    });

    test('put, head and get round-trip the bytes with size, etag and time', async () => {
      const before = Date.now();
      const info = await store.put(`${base}a.json`, bytes('{"x":1}'), { contentType: 'application/json' });
      expect(info).toMatchObject({ key: `${base}a.json`, sizeBytes: 7 });
      expect(info.etag).toEqual(expect.any(String));
      const head = await store.head(`${base}a.json`);
      expect(head).toMatchObject({ key: `${base}a.json`, sizeBytes: 7, etag: info.etag, contentType: 'application/json' });
      expect(Math.abs(head!.lastModified.getTime() - before)).toBeLessThan(60_000);
      const got = await store.get(`${base}a.json`);
      expect(got?.info.etag).toBe(info.etag);
      expect(text((await readAll(got!.body)).data)).toBe('{"x":1}');
    });

    test('absent keys: head and get give undefined', async () => {
      expect(await store.head(`${base}missing`)).toBeUndefined();
      expect(await store.get(`${base}missing`)).toBeUndefined();
    });

    test('a streamed body is stored whole and read back as a stream of chunks', async () => {
      const chunk = new Uint8Array(100_000).map((_, i) => i % 251);
      await store.put(`${base}big.bin`, slowBody([chunk, chunk, chunk, chunk], 0));
      const got = await store.get(`${base}big.bin`);
      expect(got!.info.sizeBytes).toBe(400_000);
      const { data, chunks } = await readAll(got!.body);
      expect(chunks).toBeGreaterThan(1);
      expect(data.length).toBe(400_000);
      expect(data[399_999]).toBe(399_999 % 100_000 % 251);
    });

    test('create-only (ifNoneMatch *): the second write fails and the first stays', async () => {
      await store.put(`${base}once`, bytes('first'), { ifNoneMatch: '*' });
      await expectRestainError(store.put(`${base}once`, bytes('second'), { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
      expect(text((await readAll((await store.get(`${base}once`))!.body)).data)).toBe('first');
    });

    test('concurrent create-only writers: exactly one wins and its bytes are stored', async () => {
      const outcomes = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => store.put(`${base}race`, bytes(`writer ${i}`), { ifNoneMatch: '*' })));
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason.code).toBe('PRECONDITION_FAILED');
      expect(text((await readAll((await store.get(`${base}race`))!.body)).data)).toBe(`writer ${winners[0]}`);
    });

    test('ifMatch replaces only at the expected etag; the etag changes with the content', async () => {
      const v1 = await store.put(`${base}cas`, bytes('v1'));
      const v2 = await store.put(`${base}cas`, bytes('v2'), { ifMatch: v1.etag });
      expect(v2.etag).not.toBe(v1.etag);
      await expectRestainError(store.put(`${base}cas`, bytes('v3'), { ifMatch: v1.etag }), 'PRECONDITION_FAILED');
      await expectRestainError(store.put(`${base}never-written`, bytes('x'), { ifMatch: v1.etag }), 'PRECONDITION_FAILED');
      expect(text((await readAll((await store.get(`${base}cas`))!.body)).data)).toBe('v2');
    });

    test('concurrent ifMatch writers at one etag: exactly one wins', async () => {
      const v1 = await store.put(`${base}cas-race`, bytes('start'));
      const outcomes = await Promise.allSettled([0, 1, 2, 3].map((i) => store.put(`${base}cas-race`, bytes(`next ${i}`), { ifMatch: v1.etag })));
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(text((await readAll((await store.get(`${base}cas-race`))!.body)).data)).toBe(`next ${winners[0]}`);
    });

    test('a write in progress is invisible; readers see the old object until the new one is whole', async () => {
      await store.put(`${base}slow`, bytes('old'));
      // Margins wide enough for a HEAD + LIST over HTTP on a loaded machine: the bodies end at 300 and 450 ms.
      const writing = store.put(`${base}slow`, slowBody([bytes('new '), bytes('and '), bytes('whole')], 150));
      const fresh = store.put(`${base}fresh`, slowBody([bytes('part '), bytes('part')], 150));
      await sleep(150);
      expect(await store.head(`${base}fresh`)).toBeUndefined();
      expect((await store.list(base)).objects.map((o) => o.key)).toEqual([`${base}slow`]);
      expect(text((await readAll((await store.get(`${base}slow`))!.body)).data)).toBe('old');
      await Promise.all([writing, fresh]);
      expect(text((await readAll((await store.get(`${base}slow`))!.body)).data)).toBe('new and whole');
    });

    test('a body that fails midway leaves no object and keeps the previous one', async () => {
      await expect(store.put(`${base}broken`, slowBody([bytes('half')], 1, true))).rejects.toThrow('client went away');
      expect(await store.head(`${base}broken`)).toBeUndefined();
      await store.put(`${base}kept`, bytes('kept'));
      await expect(store.put(`${base}kept`, slowBody([bytes('half')], 1, true))).rejects.toThrow();
      expect(text((await readAll((await store.get(`${base}kept`))!.body)).data)).toBe('kept');
    });

    test('list: byte order, prefix isolation, startAfter and pagination', async () => {
      const keys = [`${base}p/z`, `${base}p/a`, `${base}p/b/c`, `${base}p/b-d`, `${base}p/ba`, `${base}p/\u00e9`, `${base}p2/x`, `${base}px`];
      for (const key of keys) await store.put(key, bytes(key));
      const expected = [`${base}p/a`, `${base}p/b-d`, `${base}p/b/c`, `${base}p/ba`, `${base}p/z`, `${base}p/\u00e9`];
      const all = await store.list(`${base}p/`);
      expect(all.objects.map((o) => o.key)).toEqual(expected);
      expect(all.nextStartAfter).toBeUndefined();
      expect(all.objects[0]).toMatchObject({ sizeBytes: `${base}p/a`.length, etag: expect.any(String) });
      expect((await store.list(`${base}p/b`)).objects.map((o) => o.key)).toEqual(expected.slice(1, 4));
      expect((await store.list(`${base}p/`, { startAfter: `${base}p/b-d` })).objects.map((o) => o.key)).toEqual(expected.slice(2));
      const pages: string[][] = [];
      let startAfter: string | undefined;
      do {
        const page = await store.list(`${base}p/`, { limit: 2, startAfter });
        pages.push(page.objects.map((o) => o.key));
        startAfter = page.nextStartAfter;
      } while (startAfter && pages.length < 10);
      expect(pages).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4, 6)]);
      expect((await store.list(`${base}nothing/`)).objects).toEqual([]);
    });

    test('delete removes the object and is idempotent', async () => {
      await store.put(`${base}deep/er/x`, bytes('x'));
      await store.delete(`${base}deep/er/x`);
      expect(await store.head(`${base}deep/er/x`)).toBeUndefined();
      await store.delete(`${base}deep/er/x`);
      await store.delete(`${base}never`);
      expect((await store.list(base)).objects).toEqual([]);
      await store.put(`${base}deep/er/x`, bytes('again'));
      expect((await store.head(`${base}deep/er/x`))?.sizeBytes).toBe(5);
    });

    test.each(['../x', '/abs', 'a//b', 'a\\b', '', 'a/./b', 'a/../../b', 'a/', 'x\u0000y'])('rejects the key %j everywhere', async (key) => {
      await expectRestainError(store.put(key, bytes('x')), 'INVALID_ARGUMENT');
      await expectRestainError(store.get(key), 'INVALID_ARGUMENT');
      await expectRestainError(store.head(key), 'INVALID_ARGUMENT');
      await expectRestainError(store.delete(key), 'INVALID_ARGUMENT');
      await expectRestainError(store.presignPut(key, { expiresInSeconds: 60 }), 'INVALID_ARGUMENT');
    });

    test('presigned URLs are absolute, name the key and differ per method', async () => {
      const key = `${base}uploads/some file.png`;
      const put = new URL(await store.presignPut(key, { expiresInSeconds: 300, contentType: 'image/png' }));
      const get = new URL(await store.presignGet(key, { expiresInSeconds: 300, downloadFilename: 'result.png' }));
      for (const url of [put, get]) {
        expect(url.protocol).toMatch(/^https?:$/);
        expect(decodeURIComponent(url.pathname).endsWith(key)).toBe(true);
        expect(url.search.length).toBeGreaterThan(1);
      }
      expect(put.toString()).not.toBe(get.toString());
    });
  });
}
