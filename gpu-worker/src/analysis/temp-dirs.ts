import { rmSync } from 'node:fs';

/** Folders that only exist while an analysis runs (its temp files, unpublished results). */
const tracked = new Set<string>();

export function trackTempDir(dir: string): void {
  tracked.add(dir);
}

export function untrackTempDir(dir: string): void {
  tracked.delete(dir);
}

/** Remove every tracked folder now (from a signal handler: synchronous, never throws). */
export function removeTrackedDirsSync(): void {
  for (const dir of tracked) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort on the way out: the next run's staging has a fresh name anyway.
    }
  }
  tracked.clear();
}
