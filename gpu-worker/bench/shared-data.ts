import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The checkout's root: the nearest folder above this file whose package.json is the `restain` root. */
function findRepoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'restain') return dir;
  }
  throw new Error(`No restain checkout above ${__dirname}`);
}

/** `../shared/` beside the checkout (data and models; never copied into the repo). */
export const SHARED_DIR = path.resolve(findRepoRoot(), '..', 'shared');
export const SHARED_DATA_DIR = path.join(SHARED_DIR, 'data');
export const SHARED_MODELS_DIR = path.join(SHARED_DIR, 'models');

/** Stop with a clear message when ../shared/data is absent (a fresh clone without the data). */
export function requireSharedData(): string {
  if (!existsSync(SHARED_DATA_DIR)) {
    process.stderr.write(`${SHARED_DATA_DIR} not found: evaluation and benchmarks read the real data in ../shared/data beside the checkout\n`);
    process.exit(3);
  }
  return SHARED_DATA_DIR;
}
