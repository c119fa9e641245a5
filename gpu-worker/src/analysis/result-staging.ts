import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RestainError } from '@restain/shared';
import { trackTempDir, untrackTempDir } from './temp-dirs';

/**
 * Results are written into a hidden staging folder inside the output folder and moved into place
 * only when every file is complete, so a failed or interrupted run never leaves something that
 * looks like a result. manifest.json moves last: its presence marks a complete result.
 */
export class ResultStaging {
  private constructor(
    readonly outDir: string,
    readonly dir: string,
  ) {}

  static async create(outDir: string): Promise<ResultStaging> {
    try {
      await makeDirectories(path.resolve(outDir));
      const staging = new ResultStaging(outDir, await mkdtemp(path.join(outDir, '.restain-partial-')));
      trackTempDir(staging.dir);
      return staging;
    } catch (error) {
      throw new RestainError('OUTPUT_FAILED', `Cannot write results to ${outDir}: ${(error as Error).message}`, { cause: error });
    }
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Move every staged file into the output folder (manifest.json last) and remove the staging folder. */
  async publish(): Promise<void> {
    const names = (await readdir(this.dir)).sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'));
    // A previous result's manifest goes first, so a half-replaced folder never looks complete.
    await rm(path.join(this.outDir, 'manifest.json'), { force: true });
    for (const name of names) await rename(this.file(name), path.join(this.outDir, name));
    await this.discard();
  }

  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    untrackTempDir(this.dir);
  }
}

/**
 * mkdir -p one level at a time. Node's own recursive mkdir spins forever where a filesystem
 * answers ENOENT for a folder whose parent exists (e.g. under /proc).
 */
async function makeDirectories(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const parent = path.dirname(dir);
    if (parent !== dir) await makeDirectories(parent);
    await mkdir(dir);
    return;
  }
  throw Object.assign(new Error(`${dir} exists and is not a folder`), { code: 'ENOTDIR' });
}
