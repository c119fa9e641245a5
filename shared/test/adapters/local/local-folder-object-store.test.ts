import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalFolderObjectStore } from '../../../src/adapters/local/local-folder-object-store';
import { describeObjectStoreContract } from '../../ports/object-store-contract';
import { expectRestainError } from '../../ports/expect-restain-error';
import { makeTempDir } from './temp-dir';

const SECRET = 'test-secret';

function makeStore(dir: string): LocalFolderObjectStore {
  return new LocalFolderObjectStore({ rootDir: dir, signedUrlBase: 'http://127.0.0.1:8080', signingSecret: SECRET });
}

describeObjectStoreContract('LocalFolderObjectStore', async () => {
  const temp = makeTempDir('objects');
  return { store: makeStore(temp.dir), cleanup: async () => temp.remove() };
});

describe('LocalFolderObjectStore (local guarantees)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: LocalFolderObjectStore;
  beforeEach(() => {
    temp = makeTempDir('objects-local');
    store = makeStore(temp.dir);
  });
  afterEach(() => temp.remove());

  test('keys are files under the root; localPath names them; .tmp is reserved and never listed', async () => {
    await store.put('outbox/a b/scoring.json', new TextEncoder().encode('{}'));
    expect(store.localPath('outbox/a b/scoring.json')).toBe(path.join(temp.dir, 'outbox', 'a b', 'scoring.json'));
    expect(existsSync(path.join(temp.dir, 'outbox', 'a b', 'scoring.json'))).toBe(true);
    expect(readdirSync(path.join(temp.dir, '.tmp'))).toEqual([]); // the temp file is gone after the link/rename
    writeFileSync(path.join(temp.dir, '.tmp', 'stray'), 'x');
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['outbox/a b/scoring.json']);
    expect((await store.list('.tmp/')).objects).toEqual([]);
    await expectRestainError(store.put('.tmp/x', new Uint8Array(1)), 'INVALID_ARGUMENT');
    await expectRestainError(store.list('../'), 'INVALID_ARGUMENT');
  });

  test('the etag changes on every write, even of identical bytes', async () => {
    const bytes = new TextEncoder().encode('same');
    const etags = new Set<string>();
    for (let i = 0; i < 20; i++) etags.add((await store.put('k', bytes)).etag);
    expect(etags.size).toBe(20);
    const last = [...etags][19];
    expect((await store.head('k'))?.etag).toBe(last);
    await expectRestainError(store.put('k', bytes, { ifMatch: [...etags][18] }), 'PRECONDITION_FAILED');
  });

  test('delete removes the folders it emptied, and only those', async () => {
    await store.put('results/j/v1/a.png', new Uint8Array(1));
    await store.put('results/j/v1/b.png', new Uint8Array(1));
    await store.delete('results/j/v1/a.png');
    expect(existsSync(path.join(temp.dir, 'results/j/v1'))).toBe(true);
    await store.delete('results/j/v1/b.png');
    expect(existsSync(path.join(temp.dir, 'results'))).toBe(false);
    expect(existsSync(temp.dir)).toBe(true);
  });

  test('symbolic links and folders are not objects', async () => {
    mkdirSync(path.join(temp.dir, 'inbox'));
    writeFileSync(path.join(temp.dir, 'secret.txt'), 'secret');
    symlinkSync(path.join(temp.dir, 'secret.txt'), path.join(temp.dir, 'inbox', 'link.png'));
    expect((await store.list('inbox/')).objects).toEqual([]);
    expect(await store.get('inbox/link.png')).toBeUndefined();
    expect(await store.head('inbox/link.png')).toBeUndefined();
    expect(await store.head('inbox')).toBeUndefined();
    await expectRestainError(store.put('secret.txt/x', new Uint8Array(1)), 'CONFLICT');
  });

  test('signed URLs verify for their method and key, and fail when tampered with or expired', async () => {
    const now = new Date();
    const url = new URL(await store.presignPut('uploads/j 1', { expiresInSeconds: 60, contentType: 'image/png' }));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8080/api/objects/uploads/j%201');
    expect(url.searchParams.get('method')).toBe('PUT');
    expect(store.verifySignedRequest('PUT', 'uploads/j 1', url.searchParams, now)).toEqual({ contentType: 'image/png' });
    await expectRestainError(() => store.verifySignedRequest('GET', 'uploads/j 1', url.searchParams, now), 'UNAUTHENTICATED');
    await expectRestainError(() => store.verifySignedRequest('PUT', 'uploads/j 2', url.searchParams, now), 'UNAUTHENTICATED');
    const forged = new URLSearchParams(url.searchParams);
    forged.set('contentType', 'text/html');
    await expectRestainError(() => store.verifySignedRequest('PUT', 'uploads/j 1', forged, now), 'UNAUTHENTICATED');
    forged.delete('signature');
    await expectRestainError(() => store.verifySignedRequest('PUT', 'uploads/j 1', forged, now), 'UNAUTHENTICATED');
    const expired = await expectRestainError(() => store.verifySignedRequest('PUT', 'uploads/j 1', url.searchParams, new Date(now.getTime() + 61_000)), 'UNAUTHENTICATED');
    expect(expired.message).toMatch(/^signed URL expired at \d{4}-/);
    const other = new LocalFolderObjectStore({ rootDir: temp.dir, signedUrlBase: 'http://x', signingSecret: 'another' });
    await expectRestainError(() => other.verifySignedRequest('PUT', 'uploads/j 1', url.searchParams, now), 'UNAUTHENTICATED');
    const get = new URL(await store.presignGet('results/j/v1/a.png', { expiresInSeconds: 60, downloadFilename: 'a "b".png' }));
    expect(store.verifySignedRequest('GET', 'results/j/v1/a.png', get.searchParams, now)).toEqual({ downloadFilename: 'a "b".png' });
    await expectRestainError(store.presignGet('k', { expiresInSeconds: 8 * 24 * 3600 }), 'INVALID_ARGUMENT');
  });

  test('temp files of dead writers are swept; those of live ones stay', async () => {
    mkdirSync(path.join(temp.dir, '.tmp'));
    writeFileSync(path.join(temp.dir, '.tmp', `${process.pid}-live`), 'x');
    writeFileSync(path.join(temp.dir, '.tmp', '2147483646-dead'), 'x'); // above any real pid limit
    expect(await store.removeAbandonedTempFiles()).toBe(1);
    expect(readdirSync(path.join(temp.dir, '.tmp'))).toEqual([`${process.pid}-live`]);
  });
});
