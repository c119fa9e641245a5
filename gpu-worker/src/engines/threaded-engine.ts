// Before any engine thread starts: a thread's process.env is its own copy, and onnxruntime reads the real one.
import './onnx/disable-telemetry';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_STATUS, RestainError, type ErrorCode, type Raster } from '@restain/shared';
import type { Engine, EngineContext, EngineInfo, EngineSpec, TileChannels } from './engine';
import type { EngineThreadData, FromThread, ThreadError, ToThread } from './engine-thread';

export interface ThreadedEngineOptions {
  /** Worker threads, each with its own engine; tiles run in parallel up to this count. */
  readonly threads: number;
  /** Where thread notices go (each distinct line once); default console.warn. */
  readonly log?: (line: string) => void;
  /** How long close() lets a thread release its engine before terminating it (ms, default 5000). */
  readonly closeTimeoutMs?: number;
  /** Starts one thread; default startEngineThread (tests wrap it to observe or inject faults). */
  readonly startThread?: (data: EngineThreadData) => Worker;
}

/**
 * Starts a worker thread running engine-thread. From TypeScript source (jest, tsx) the thread
 * loads tsx first because worker threads cannot run .ts; from the esbuild bundle it runs
 * dist/engine-thread.js beside this file. `preamble` is JavaScript run before the engine code.
 */
export function startEngineThread(data: EngineThreadData, preamble = ''): Worker {
  const fromSource = __filename.endsWith('.ts');
  const script = path.join(__dirname, fromSource ? 'engine-thread.ts' : 'engine-thread.js');
  if (!fromSource && preamble === '') return new Worker(script, { workerData: data });
  const load = fromSource ? `require('tsx/cjs');\nrequire(${JSON.stringify(script)});` : `require(${JSON.stringify(script)});`;
  return new Worker(`${preamble}\n${load}`, { eval: true, workerData: data });
}

interface Job {
  readonly message: ToThread & { id: number };
  readonly transfer: ArrayBuffer[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RestainError) => void;
}

interface Thread {
  readonly index: number;
  readonly worker: Worker;
  job: Job | null;
  alive: boolean;
  lastError: Error | null;
}

function fromThreadError(error: ThreadError, where: string): RestainError {
  const code: ErrorCode = error.code !== undefined && error.code in ERROR_STATUS ? (error.code as ErrorCode) : 'ENGINE_FAILED';
  return new RestainError(code, `${where}: ${error.message}`);
}

/** The tile's own buffer when it can be transferred whole; otherwise a copy (a view into a larger buffer). */
function transferableTile(tile: Raster): { tile: Raster; transfer: ArrayBuffer[] } {
  const { data } = tile;
  if (data.length !== tile.width * tile.height * tile.channels) {
    // Typically a tile passed to inferTile twice: the first call moved its buffer to a thread.
    throw new RestainError(
      'INVALID_ARGUMENT',
      `Expected ${tile.width}x${tile.height}x${tile.channels} bytes of tile data but received ${data.length} (a tile's buffer moves to the engine thread: pass a copy to infer it again)`,
    );
  }
  if (data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) {
    return { tile: { width: tile.width, height: tile.height, channels: tile.channels, data }, transfer: [data.buffer] };
  }
  const copy = new Uint8Array(data);
  return { tile: { width: tile.width, height: tile.height, channels: tile.channels, data: copy }, transfer: [copy.buffer] };
}

/** Model specs without intraOpThreads get the cores split evenly between threads (no oversubscription). */
function threadSpec(spec: EngineSpec, threads: number): EngineSpec {
  if (spec.kind === 'builtin' || spec.intraOpThreads !== undefined) return spec;
  return { ...spec, intraOpThreads: Math.max(1, Math.floor(os.availableParallelism() / threads)) };
}

/**
 * Opens `threads` worker threads that each build the spec's engine, and returns an Engine on the
 * calling thread that dispatches to them: the event loop never blocks on inference. Tiles queue
 * while all threads are busy. inferTile transfers the tile's buffer to the thread (tile.data is
 * detached afterwards, unless it was a view into a larger buffer, which is copied). Thread errors
 * arrive as RestainError (their own code, else ENGINE_FAILED); a thread that dies fails its tile.
 */
export async function openThreadedEngine(spec: EngineSpec, options: ThreadedEngineOptions): Promise<Engine> {
  if (!Number.isInteger(options.threads) || options.threads < 1) {
    throw new RestainError('INVALID_ARGUMENT', `Expected threads to be a positive integer but received ${options.threads}`);
  }
  const log = options.log ?? console.warn;
  const start = options.startThread ?? ((data: EngineThreadData) => startEngineThread(data));
  const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
  const specForThreads = threadSpec(spec, options.threads);
  const logged = new Set<string>();
  const queue: Job[] = [];
  let nextId = 1;
  let closing = false;

  const threads: Thread[] = Array.from({ length: options.threads }, (_, index) => ({
    index,
    worker: start({ spec: specForThreads, index }),
    job: null,
    alive: true,
    lastError: null,
  }));

  function dispatch(): void {
    for (const thread of threads) {
      if (queue.length === 0) return;
      if (!thread.alive || thread.job) continue;
      const job = queue.shift()!;
      thread.job = job;
      thread.worker.ref();
      try {
        try {
          thread.worker.postMessage(job.message, job.transfer);
        } catch {
          // Untransferable memory (e.g. Node's Buffer pool): structured clone copies it instead.
          thread.worker.postMessage(job.message);
        }
      } catch (error) {
        finish(thread);
        job.reject(new RestainError('ENGINE_FAILED', `Cannot send work to engine thread ${thread.index}: ${(error as Error).message}`));
      }
    }
  }

  function finish(thread: Thread): Job | null {
    const job = thread.job;
    thread.job = null;
    thread.worker.unref();
    return job;
  }

  function failAll(error: RestainError): void {
    for (const job of queue.splice(0)) job.reject(error);
  }

  const ready = threads.map(
    (thread) =>
      new Promise<EngineInfo>((resolve, reject) => {
        thread.worker.on('message', (message: FromThread) => {
          if (message.type === 'log') {
            if (!logged.has(message.line)) log(message.line);
            logged.add(message.line);
          } else if (message.type === 'ready') resolve(message.info);
          else if (message.type === 'failed') reject(fromThreadError(message.error, `Engine thread ${thread.index} could not start`));
          else {
            const job = finish(thread);
            if (message.type === 'done') job?.resolve(message.value);
            else job?.reject(fromThreadError(message.error, `Engine thread ${thread.index}`));
            dispatch();
          }
        });
        thread.worker.on('error', (error) => {
          thread.lastError = error;
        });
        thread.worker.on('exit', (code) => {
          thread.alive = false;
          const reason = `exit code ${code}${thread.lastError ? `: ${thread.lastError.message}` : ''}`;
          const error = new RestainError('ENGINE_FAILED', `Engine thread ${thread.index} stopped (${reason})`);
          reject(error);
          if (closing) return;
          finish(thread)?.reject(new RestainError('ENGINE_FAILED', `Engine thread ${thread.index} stopped while running a request (${reason})`));
          if (threads.every((t) => !t.alive)) failAll(new RestainError('ENGINE_FAILED', `All ${threads.length} engine threads have stopped (last: ${reason})`));
          else dispatch();
        });
      }),
  );

  async function stopThreads(): Promise<void> {
    closing = true;
    failAll(new RestainError('ENGINE_FAILED', 'Engine was closed before this request ran'));
    await Promise.all(
      threads.map(async (thread) => {
        if (!thread.alive) return;
        const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
        // Keep the process alive until the thread has released its engine and exited.
        thread.worker.ref();
        thread.worker.postMessage({ type: 'close' } satisfies ToThread);
        const timer = setTimeout(() => void thread.worker.terminate(), closeTimeoutMs);
        await exited;
        clearTimeout(timer);
        finish(thread)?.reject(new RestainError('ENGINE_FAILED', 'Engine was closed while this request ran'));
      }),
    );
  }

  let infos: EngineInfo[];
  try {
    infos = await Promise.all(ready);
  } catch (error) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    throw error;
  }
  for (const thread of threads) thread.worker.unref();

  function submit<T>(message: ToThread & { id: number }, transfer: ArrayBuffer[]): Promise<T> {
    if (closing) return Promise.reject(new RestainError('ENGINE_FAILED', `Engine ${infos[0].name} was used after close()`));
    if (threads.every((t) => !t.alive)) return Promise.reject(new RestainError('ENGINE_FAILED', 'All engine threads have stopped'));
    return new Promise<T>((resolve, reject) => {
      queue.push({ message, transfer, resolve: resolve as (value: unknown) => void, reject });
      dispatch();
    });
  }

  return {
    info: { ...infos[0], parameters: { ...infos[0].parameters, threads: options.threads } },
    prepare(sample: Raster): Promise<EngineContext> {
      return submit({ type: 'prepare', id: nextId++, sample }, []);
    },
    inferTile(tile: Raster, context: EngineContext): Promise<TileChannels> {
      let sent: ReturnType<typeof transferableTile>;
      try {
        sent = transferableTile(tile);
      } catch (error) {
        return Promise.reject(error);
      }
      return submit({ type: 'infer', id: nextId++, tile: sent.tile, context }, sent.transfer);
    },
    close: stopThreads,
  };
}
