import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './temp-dir';

const run = promisify(execFile);

describe('LocalFolderObjectStore when the disk fills up', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir('disk-full')));
  afterEach(() => temp.remove());

  test('a write past the space left fails with INSUFFICIENT_STORAGE and leaves no partial file', async () => {
    const child = path.join(__dirname, 'disk-full-child.ts');
    // ulimit -f counts 512-byte blocks in POSIX sh (1 KiB in bash): at most 1 MiB, below the 2 MiB write and 3 MB replace.
    const { stdout } = await run('sh', ['-c', 'ulimit -f 1024 && exec "$0" -r tsx/cjs "$1" "$2"', process.execPath, child, temp.dir], { timeout: 20_000 });
    const outcome = JSON.parse(stdout);
    expect(outcome.error.code).toBe('INSUFFICIENT_STORAGE');
    expect(outcome.error.message).toMatch(/results\/j\/v1\/big\.png.*disk is full/);
    expect(outcome.replaceError).toBe('INSUFFICIENT_STORAGE');
    expect(outcome.bigHead).toBeNull();
    expect(outcome.kept).toBe(13); // the old version survives a failed replace
    expect(outcome.keys).toEqual(['results/j/v1/kept.json']);
    expect(outcome.tempFiles).toEqual([]);
    expect(outcome.smallAfter).toBe(2);
  });
});
