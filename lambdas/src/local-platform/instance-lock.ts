import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RestainError } from '@restain/shared';

/** Held while a platform runs on a data folder; `release` is safe to call more than once. */
export interface InstanceLock {
  readonly file: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One platform per data folder: two would both run the retention sweeper and the drop-folder
 * watcher over the same files. The lock file holds the owner's PID; a lock left by a process that
 * no longer exists (killed with -9) is taken over. UNAVAILABLE when a live process holds it.
 */
export function acquireInstanceLock(stateDir: string, dataDir: string): InstanceLock {
  const file = path.join(stateDir, 'platform.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        file,
        release: () => {
          if (released) return;
          released = true;
          if (readHolder(file) === process.pid) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new RestainError(
        'UNAVAILABLE',
        `Another Restain platform (pid ${holder}) is already running on ${dataDir}; stop it first or set RESTAIN_DATA_DIR to another folder`,
      );
    }
    // Stale: its owner is gone. Remove it and try again (a concurrent starter may win the retry).
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new RestainError('UNAVAILABLE', `Could not take the platform lock ${file}: another platform is starting on ${dataDir}`);
}
