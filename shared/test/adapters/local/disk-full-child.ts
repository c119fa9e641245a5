// Child process of folder-store-disk-full.test.ts: runs under a file size limit (ulimit -f), so
// writing past it fails in the kernel (EFBIG) the way a full disk does (ENOSPC). Prints one JSON line.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { LocalFolderObjectStore } from '../../../src/adapters/local/local-folder-object-store';

async function main(): Promise<void> {
  const rootDir = process.argv[2];
  const store = new LocalFolderObjectStore({ rootDir, signedUrlBase: 'http://127.0.0.1', signingSecret: 's' });
  await store.put('results/j/v1/kept.json', new TextEncoder().encode('{"kept":true}'));
  const outcome: Record<string, unknown> = {};
  try {
    // 2 MiB in 64 KiB chunks, over the limit the test sets.
    await store.put('results/j/v1/big.png', (async function* () {
      for (let i = 0; i < 32; i++) yield new Uint8Array(65_536).fill(i);
    })());
    outcome.error = null;
  } catch (error) {
    outcome.error = { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  try {
    await store.put('results/j/v1/kept.json', new Uint8Array(3_000_000), { ifMatch: (await store.head('results/j/v1/kept.json'))!.etag });
  } catch (error) {
    outcome.replaceError = (error as { code?: string }).code;
  }
  outcome.bigHead = (await store.head('results/j/v1/big.png')) ?? null;
  outcome.kept = (await store.head('results/j/v1/kept.json'))?.sizeBytes ?? null;
  outcome.keys = (await store.list('')).objects.map((o) => o.key);
  outcome.tempFiles = readdirSync(path.join(rootDir, '.tmp'));
  outcome.smallAfter = (await store.put('results/j/v1/small.json', new TextEncoder().encode('{}'))).sizeBytes;
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
