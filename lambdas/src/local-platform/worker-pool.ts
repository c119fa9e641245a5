import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How to run one worker process. */
export interface WorkerPoolOptions {
  /** Number of worker processes kept running. */
  readonly size: number;
  /** The worker entry script (dist/worker.js). */
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  /** One line per event (start, exit, restart). */
  readonly log: (line: string) => void;
  /** First restart delay after a crash; doubles per quick crash up to `maxBackoffMs`. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Called after a worker died unexpectedly (the platform clears the temp files it left). */
  readonly onUnexpectedExit?: () => void;
  /** File listing the workers' PIDs, so a platform restarted after kill -9 can stop the orphans it left. */
  readonly pidFile: string;
  /**
   * Folder holding one scratch folder per worker slot (its TMPDIR), emptied before the slot's
   * worker (re)starts: a killed worker's half-made analysis files never pile up.
   */
  readonly scratchRoot: string;
}

interface Slot {
  readonly index: number;
  child?: ChildProcess;
  startedAt: number;
  quickCrashes: number;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
}

/**
 * A worker that dies sooner than this after starting is failing to start (bad model, broken
 * install): back off. One that ran longer was killed at work (OOM killer, kill -9): restart at once.
 */
const HEALTHY_RUN_MS = 5_000;

/**
 * Keeps N worker processes running: a worker that dies (crash, OOM kill, SIGKILL) is restarted with
 * exponential backoff so a worker that cannot start does not spin. `stop` sends SIGTERM (workers
 * hand their jobs back to the queue) and waits, bounded, then SIGKILLs what is left.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  start(): void {
    this.stopOrphans();
    for (let index = 0; index < this.options.size; index++) {
      const slot: Slot = { index: index + 1, startedAt: 0, quickCrashes: 0 };
      this.slots.push(slot);
      this.launch(slot);
    }
  }

  /** PIDs of the running workers (for logs and tests). */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.child?.pid !== undefined && slot.child.exitCode === null ? [slot.child.pid] : []));
  }

  private launch(slot: Slot): void {
    slot.restartTimer = undefined;
    if (this.stopping) return;
    // Own process group: a terminal's Ctrl-C reaches only the platform, which then stops the workers
    // with one SIGTERM (a second signal would make a worker exit without handing its job back).
    const scratch = path.join(this.options.scratchRoot, `worker-${slot.index}`);
    try {
      rmSync(scratch, { recursive: true, force: true });
      mkdirSync(scratch, { recursive: true });
    } catch (error) {
      this.options.log(`worker ${slot.index}: could not empty its scratch folder ${scratch}: ${(error as Error).message}`);
    }
    const env = { ...this.options.env, TMPDIR: scratch };
    const child = spawn(process.execPath, [this.options.script], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    slot.child = child;
    this.writePidFile();
    slot.startedAt = Date.now();
    slot.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.options.log(`worker ${slot.index} started (pid ${child.pid})`);
    child.once('error', (error) => this.options.log(`worker ${slot.index} could not start: ${error.message}`));
    child.once('exit', (code, signal) => this.onExit(slot, child, code, signal));
  }

  private writePidFile(): void {
    try {
      writeFileSync(this.options.pidFile, this.pids().map((pid) => `${pid}\n`).join(''));
    } catch (error) {
      this.options.log(`could not write ${this.options.pidFile}: ${(error as Error).message}`);
    }
  }

  /** Workers of a previous platform that was killed with -9 keep running; hand their jobs back first. */
  private stopOrphans(): void {
    let pids: number[];
    try {
      pids = readFileSync(this.options.pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return;
    }
    for (const pid of pids) {
      let commandLine: string;
      try {
        // Only a process still running our worker script is one of ours (PIDs get reused).
        commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!commandLine.split('\0').includes(this.options.script)) continue;
      this.options.log(`stopping worker pid ${pid} left running by a previous platform`);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone meanwhile.
      }
    }
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    this.writePidFile();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.stopping) {
      this.options.log(`worker ${slot.index} (pid ${child.pid}) stopped (${how})`);
      return;
    }
    this.options.onUnexpectedExit?.();
    const ranMs = Date.now() - slot.startedAt;
    slot.quickCrashes = ranMs >= HEALTHY_RUN_MS ? 0 : slot.quickCrashes + 1;
    const initial = this.options.initialBackoffMs ?? 250;
    const delay = slot.quickCrashes <= 1 ? initial : Math.min(this.options.maxBackoffMs ?? 30_000, initial * 2 ** (slot.quickCrashes - 1));
    this.options.log(`worker ${slot.index} (pid ${child.pid}) exited (${how}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${delay} ms`);
    slot.restartTimer = setTimeout(() => this.launch(slot), delay);
  }

  /** SIGKILL every worker now (a second Ctrl-C): their jobs return to the queue when their leases end. */
  kill(): void {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
    }
  }

  /** SIGTERM every worker, wait up to `graceMs` for them to hand back their jobs, then SIGKILL the rest. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const running: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) {
        slot.child.kill('SIGTERM');
        if (slot.exited) running.push(slot.exited);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    const late = await Promise.race([Promise.all(running).then(() => false), timedOut]);
    clearTimeout(timer);
    if (!late) return;
    for (const slot of this.slots) {
      if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) {
        this.options.log(`worker ${slot.index} (pid ${slot.child.pid}) did not stop within ${graceMs} ms; killing it (its job returns to the queue when its lease ends)`);
        slot.child.kill('SIGKILL');
      }
    }
    await Promise.all(running);
  }
}
