import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '@restain/shared';
import { type TestContext, makeTestContext } from '../support/make-test-context';
import { syntheticPng as syntheticImage } from '../support/test-images';

/** A data folder with the real local adapters behind an AppContext (makeTestContext), plus drop helpers. */
export interface DropHome extends TestContext {
  /** Writes a file into inbox/<relative> (creating folders), as a user copying it would; returns its path. */
  drop(relative: string, bytes: Uint8Array | string): string;
  /** Every job of the local owner. */
  allJobs(): Promise<JobRecord[]>;
}

export function createDropHome(): DropHome {
  const test = makeTestContext({ config: { maxUploadBytes: 5 * 1024 * 1024 } });
  return {
    ...test,
    drop(relative, bytes) {
      const file = path.join(test.dataDir, 'inbox', relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      return file;
    },
    async allJobs() {
      const found: JobRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await test.context.jobs.listByOwner('local', { limit: 100, cursor });
        found.push(...page.jobs);
        cursor = page.nextCursor;
      } while (cursor);
      return found;
    },
  };
}

/** A small synthetic IHC image (192 x 192 px) as PNG bytes: quick to analyse, with real cells. */
export function syntheticPng(seed: number): Promise<Uint8Array> {
  return syntheticImage(192, 192, seed);
}

/** Reads a file of the data folder as text. */
export function readText(home: DropHome, relative: string): string {
  return readFileSync(path.join(home.dataDir, relative), 'utf8');
}
