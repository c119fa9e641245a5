/**
 * Worker-thread entry: builds one engine with createEngine and serves prepare/inferTile requests
 * from threaded-engine.ts, one at a time. Bundled as dist/engine-thread.js next to the CLI.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Raster } from '@restain/shared';
import { createEngine } from './create-engine';
import type { Engine, EngineContext, EngineInfo, EngineSpec, TileChannels } from './engine';

/** What a thread is started with (worker_threads workerData). */
export interface EngineThreadData {
  readonly spec: EngineSpec;
  readonly index: number;
}

/** An error as it crosses the thread boundary: RestainError keeps its code. */
export interface ThreadError {
  readonly code?: string;
  readonly message: string;
}

export type ToThread =
  | { readonly type: 'prepare'; readonly id: number; readonly sample: Raster }
  | { readonly type: 'infer'; readonly id: number; readonly tile: Raster; readonly context: EngineContext }
  | { readonly type: 'close' };

export type FromThread =
  | { readonly type: 'ready'; readonly info: EngineInfo }
  | { readonly type: 'failed'; readonly error: ThreadError }
  | { readonly type: 'done'; readonly id: number; readonly value: EngineContext | TileChannels }
  | { readonly type: 'error'; readonly id: number; readonly error: ThreadError }
  | { readonly type: 'log'; readonly line: string };

function toThreadError(error: unknown): ThreadError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: error.name === 'RestainError' && typeof code === 'string' ? code : undefined, message: error.message };
  }
  return { message: String(error) };
}

/** Raster buffers to hand back without copying (each once; shared memory cannot be transferred). */
function transferables(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const item of Object.values(value as Record<string, unknown>)) {
    const data = (item as { data?: unknown } | null)?.data;
    if (data instanceof Uint8Array && data.buffer instanceof ArrayBuffer) buffers.add(data.buffer);
  }
  return [...buffers];
}

async function serve(port: NonNullable<typeof parentPort>, data: EngineThreadData): Promise<void> {
  const post = (message: FromThread, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  let engine: Engine;
  try {
    engine = await createEngine(data.spec, { log: (line) => post({ type: 'log', line }) });
  } catch (error) {
    post({ type: 'failed', error: toThreadError(error) });
    return;
  }
  port.on('message', (message: ToThread) => {
    if (message.type === 'close') {
      void engine.close().finally(() => process.exit(0));
      return;
    }
    const work = message.type === 'prepare' ? engine.prepare(message.sample) : engine.inferTile(message.tile, message.context);
    work.then(
      (value) => post({ type: 'done', id: message.id, value }, message.type === 'infer' ? transferables(value) : []),
      (error: unknown) => post({ type: 'error', id: message.id, error: toThreadError(error) }),
    );
  });
  post({ type: 'ready', info: engine.info });
}

if (parentPort) void serve(parentPort, workerData as EngineThreadData);
