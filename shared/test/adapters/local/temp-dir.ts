import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A new empty folder under the OS temp dir, and its removal. */
export function makeTempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `restain-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
