import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The bundled CLI (built into dist/ by the jest global setup, or by `npm run build`). */
export const RESTAIN_CLI = path.resolve(__dirname, '../../../dist/restain.js');

export interface PlatformProcessOptions {
  /** RESTAIN_DATA_DIR of the platform (a temp folder in tests). */
  readonly dataDir: string;
  /** RESTAIN_WORKERS; the platform's default (one per 2 cores) when absent. */
  readonly workers?: number;
  /** Extra environment (RESTAIN_VISIBILITY_TIMEOUT_SECONDS, ...); PORT defaults to 0 (a free port). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the "API:" line. */
  readonly readyTimeoutMs?: number;
  readonly cliPath?: string;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A `restain start` child process: its URL, its output, its workers, and ways to stop or kill it. */
export interface PlatformProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly exited: Promise<ExitStatus>;
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string;
  /** PIDs of the workers the platform reported as started and not yet exited. */
  workerPids(): number[];
  /** Send `signal` (SIGTERM by default) and wait up to `timeoutMs`; SIGKILLs the group after that. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
  /** kill -9 the whole process tree: the platform and every worker it started. */
  killHard(): Promise<ExitStatus>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
  ]);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // detached: each process leads its own process group (the platform, and each worker).
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** The platform and every worker it reported: workers run in their own process groups. */
function killTree(child: ChildProcess, workers: Iterable<number>, signal: NodeJS.Signals): void {
  killGroup(child.pid as number, signal);
  for (const pid of workers) killGroup(pid, signal);
}

/** Starts `restain start` on 127.0.0.1 and a free port, resolving once it prints its URL. */
export async function startPlatformProcess(options: PlatformProcessOptions): Promise<PlatformProcess> {
  const child = spawn(process.execPath, [options.cliPath ?? RESTAIN_CLI, 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      RESTAIN_HOST: '127.0.0.1',
      RESTAIN_DATA_DIR: options.dataDir,
      ...(options.workers !== undefined ? { RESTAIN_WORKERS: String(options.workers) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const workers = new Map<string, number>();
  /** Every worker PID ever reported: the hard kill and the clean-up reach them all. */
  const everyWorker = new Set<number>();
  let resolveUrl: (url: string) => void = () => undefined;
  const urlSeen = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const url = /API:\s+(http:\/\/[^\s)]+)/.exec(output);
    if (url) resolveUrl(url[1]);
    for (const match of chunk.toString().matchAll(/worker (\d+) started \(pid (\d+)\)/g)) {
      workers.set(match[1], Number(match[2]));
      everyWorker.add(Number(match[2]));
    }
    for (const match of chunk.toString().matchAll(/worker (\d+) \(pid (\d+)\) (exited|stopped)/g)) {
      if (workers.get(match[1]) === Number(match[2])) workers.delete(match[1]);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const failedEarly = exited.then((status) => {
    throw new Error(`restain start exited (${JSON.stringify(status)}) before it was ready:\n${output}`);
  });
  let url: string;
  try {
    url = await withTimeout(Promise.race([urlSeen, failedEarly]), options.readyTimeoutMs ?? 30_000, 'the platform to print its URL');
  } catch (error) {
    killTree(child, everyWorker, 'SIGKILL');
    throw error;
  }
  failedEarly.catch(() => undefined);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<ExitStatus> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    try {
      return await withTimeout(exited, timeoutMs, `the platform to stop after ${signal}`);
    } catch (error) {
      killTree(child, everyWorker, 'SIGKILL');
      await exited;
      throw error;
    }
  };
  return {
    url,
    pid: child.pid as number,
    dataDir: options.dataDir,
    exited,
    output: () => output,
    workerPids: () => [...workers.values()],
    stop,
    killHard: async () => {
      killTree(child, everyWorker, 'SIGKILL');
      return withTimeout(exited, 10_000, 'the killed platform to exit');
    },
  };
}
