import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A protocol server running in a child process on 127.0.0.1; stopped by its PID. */
export interface EmulatorProcess {
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the endpoint to give an SDK client. */
  readonly endpoint: string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** The S3 event notification body s3rver emits for a put, multipart complete or delete. */
export interface S3EventBody {
  readonly Records: readonly { readonly eventName: string; readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string } } }[];
}

export interface S3rverProcess extends EmulatorProcess {
  /** Folder holding s3rver's objects (removed by stop()). */
  readonly directory: string;
  /** Calls `listener` with each S3 event s3rver emits (s3rver has no bucket notifications); returns an unsubscribe. */
  onEvent(listener: (event: S3EventBody) => void): () => void;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

interface ReadyChild {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Forks `script`, waits (bounded) for its `{type: 'ready', port}` IPC message; kills it on timeout or early exit. */
function startChild(script: string, args: readonly string[], execArgv: readonly string[]): Promise<ReadyChild> {
  const child = fork(path.join(__dirname, script), [...args], { execArgv: [...execArgv], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`Expected ${script} to report ready but ${why}${stderr ? `; stderr: ${stderr}` : ''}`));
    };
    const timer = setTimeout(() => fail(`nothing came within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    child.once('error', (error) => fail(`it failed to start: ${error.message}`));
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type !== 'ready' || typeof message.port !== 'number') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, port: message.port });
    });
  });
}

/** Stops a child by PID: SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves when it has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(pid, 'SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref())]);
  if (!inTime) {
    process.kill(pid, 'SIGKILL');
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
  }
}

/** Starts s3rver on 127.0.0.1 with `buckets` created, its objects in a fresh temp folder. */
export async function startS3rver(buckets: readonly string[]): Promise<S3rverProcess> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'restain-s3rver-'));
  let ready: ReadyChild;
  try {
    ready = await startChild('s3rver-child.js', [directory, ...buckets], ['--openssl-legacy-provider']);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const { child, port } = ready;
  return {
    pid: child.pid as number,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    onEvent(listener) {
      const onMessage = (message: { type?: string; event?: S3EventBody }): void => {
        if (message?.type === 's3-event' && message.event) listener(message.event);
      };
      child.on('message', onMessage);
      return () => child.off('message', onMessage);
    },
    async stop() {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Starts fauxqs (SQS protocol, in memory) on 127.0.0.1. */
export async function startFauxqs(): Promise<EmulatorProcess> {
  const { child, port } = await startChild('fauxqs-child.mjs', [], []);
  return { pid: child.pid as number, port, endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}
