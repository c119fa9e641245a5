import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Engine } from '../../src/engines/engine';
import type { EngineThreadData } from '../../src/engines/engine-thread';
import { writeTestModel } from '../../src/engines/onnx/testing';
import { openThreadedEngine, startEngineThread } from '../../src/engines/threaded-engine';
import { constantTile, gradientTile, makeTempDir } from './onnx/model-fixtures';

const HEAVY_SIZE = 128;
let root: string;
let cleanup: () => Promise<void>;
let tiny: string;
let heavy: string;
const engines: Engine[] = [];

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir());
  tiny = path.join(root, 'tiny');
  heavy = path.join(root, 'heavy');
  await writeTestModel(tiny);
  // ~1.7 G multiply-adds per tile: long enough to observe threads and the event loop.
  await writeTestModel(heavy, { inputSize: HEAVY_SIZE, heavy: { width: 32, layers: 3 } });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});
afterAll(() => cleanup());

async function open(modelDir: string, threads: number, extra: Parameters<typeof openThreadedEngine>[1] | object = {}): Promise<Engine> {
  const engine = await openThreadedEngine({ kind: 'onnx', modelDir, device: 'cpu', intraOpThreads: 1 }, { threads, ...extra });
  engines.push(engine);
  return engine;
}

/** Worker code run before the engine thread: counts requests in flight across threads in shared memory. */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const counters = new Int32Array(workerData.probe);
parentPort.on('message', (m) => {
  if (m.type !== 'infer') return;
  const now = Atomics.add(counters, 0, 1) + 1;
  for (let max = Atomics.load(counters, 1); max < now; max = Atomics.load(counters, 1)) Atomics.compareExchange(counters, 1, max, now);
});
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (message, transfer) => {
  if (message.type === 'done' || message.type === 'error') Atomics.sub(counters, 0, 1);
  return post(message, transfer);
};`;

/**
 * Worker code that injects faults on request (tile context flags): exit code 7, an uncaught
 * exception, or session.run throwing once (the thread's onnxruntime-node module is patched).
 */
const FAULTS = `
const { parentPort } = require('node:worker_threads');
const ort = require('onnxruntime-node');
const run = ort.InferenceSession.prototype.run;
let failNextRun = false;
ort.InferenceSession.prototype.run = function (...args) {
  if (failNextRun) { failNextRun = false; throw new Error('injected onnxruntime failure'); }
  return run.apply(this, args);
};
parentPort.on('message', (m) => {
  if (m.type !== 'infer') return;
  if (m.context.exit) process.exit(7);
  if (m.context.throw) setImmediate(() => { throw new Error('boom in thread'); });
  if (m.context.ortFails) failNextRun = true;
});`;

function probed(): { probe: Int32Array; startThread: (data: EngineThreadData) => Worker } {
  const shared = new SharedArrayBuffer(8);
  return { probe: new Int32Array(shared), startThread: (data) => startEngineThread({ ...data, probe: shared } as EngineThreadData, PROBE) };
}

describe('openThreadedEngine', () => {
  it('runs tiles on the threads and returns the engine outputs', async () => {
    const engine = await open(tiny, 1);
    const tile = gradientTile();
    const expected = new Uint8Array(tile.data);
    const out = await engine.inferTile(tile, await engine.prepare(gradientTile()));
    expect(out.Hema.data).toEqual(expected);
    expect(out.Lap2.data).toEqual(expected.map((v) => 255 - v));
    expect(engine.info).toMatchObject({ name: 'restain-test-model', inputSize: 16 });
    expect(engine.info.parameters).toMatchObject({ threads: 1, executionProvider: 'cpu' });
  });

  it('transfers whole tile buffers instead of copying them, and copies views', async () => {
    const engine = await open(tiny, 1);
    const tile = gradientTile();
    const pending = engine.inferTile(tile, {});
    expect(tile.data.byteLength).toBe(0);
    await pending;
    const big = new Uint8Array(16 * 16 * 3 * 2).fill(9);
    const view = { width: 16, height: 16, channels: 3 as const, data: big.subarray(16 * 16 * 3) };
    expect((await engine.inferTile(view, {})).Hema.data[0]).toBe(9);
    expect(big.byteLength).toBe(16 * 16 * 3 * 2);
  });

  it('refuses a tile whose buffer already moved to a thread, and keeps working', async () => {
    const engine = await open(tiny, 2);
    const tile = gradientTile();
    const results = await Promise.allSettled([engine.inferTile(tile, {}), engine.inferTile(tile, {})]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/pass a copy/) } });
    expect((await engine.inferTile(gradientTile(), {})).Hema.data).toEqual(new Uint8Array(gradientTile().data));
  });

  it('queues tiles while every thread is busy and keeps each result with its tile', async () => {
    const { probe, startThread } = probed();
    const engine = await open(tiny, 1, { startThread });
    const values = [10, 90, 170, 250];
    const outs = await Promise.all(values.map((v) => engine.inferTile(constantTile(16, [v, v, v]), {})));
    expect(outs.map((o) => o.Hema.data[0])).toEqual(values);
    expect(probe[1]).toBe(1);
  });

  it('runs tiles on two threads at once', async () => {
    const { probe, startThread } = probed();
    const engine = await open(heavy, 2, { startThread });
    const tiles = [0, 1, 2, 3].map(() => constantTile(HEAVY_SIZE, [120, 80, 60]));
    const outs = await Promise.all(tiles.map((t) => engine.inferTile(t, {})));
    expect(probe[1]).toBe(2);
    expect(outs[3].Seg.data).toEqual(outs[0].Seg.data);
  });

  it('keeps the event loop free while a tile runs', async () => {
    const engine = await open(heavy, 1);
    let last = performance.now();
    let maxGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    // Two tiles one after the other: long enough (> 100 ms) to see the timer tick on a fast machine.
    await engine.inferTile(constantTile(HEAVY_SIZE, [120, 80, 60]), {});
    await engine.inferTile(constantTile(HEAVY_SIZE, [120, 80, 60]), {});
    const took = performance.now() - started;
    clearInterval(timer);
    expect(took).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(5);
    expect(maxGap).toBeLessThan(took / 2);
  });

  it('keeps a thread error code and message', async () => {
    const engine = await open(tiny, 1);
    await expect(engine.inferTile(gradientTile(8), {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Engine thread 0: Expected an RGB tile of 16 x 16 for this model but received 8 x 8 with 3 channels',
    });
    expect((await engine.inferTile(gradientTile(), {})).Hema.width).toBe(16);
  });

  it('reports plain errors inside a thread (here from onnxruntime) as ENGINE_FAILED', async () => {
    const engine = await open(tiny, 1, { startThread: (data: EngineThreadData) => startEngineThread(data, FAULTS) });
    await expect(engine.inferTile(gradientTile(), { ortFails: true })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: 'Engine thread 0: Model restain-test-model failed on a tile: injected onnxruntime failure',
    });
    expect((await engine.inferTile(gradientTile(), {})).Hema.width).toBe(16);
  });

  it('reports a thread that dies (exit or uncaught exception) and serves on with the rest', async () => {
    const engine = await open(tiny, 2, { startThread: (data: EngineThreadData) => startEngineThread(data, FAULTS) });
    await expect(engine.inferTile(gradientTile(), { exit: true })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringMatching(/^Engine thread \d stopped while running a request \(exit code 7\)$/),
    });
    expect((await engine.inferTile(gradientTile(), {})).Hema.width).toBe(16);
    await expect(engine.inferTile(gradientTile(), { throw: true })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringMatching(/stopped while running a request \(exit code 1: boom in thread\)/),
    });
    await expect(engine.inferTile(gradientTile(), {})).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: 'All engine threads have stopped' });
  });

  it('fails to open with the thread error when the model folder is invalid', async () => {
    const { dir, cleanup: remove } = await makeTempDir();
    try {
      await expect(openThreadedEngine({ kind: 'onnx', modelDir: dir, device: 'cpu' }, { threads: 2 })).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringMatching(/^Engine thread \d could not start: Expected a model folder with manifest\.json/),
      });
    } finally {
      await remove();
    }
  });

  it('logs the CUDA fallback once for all threads', async () => {
    const lines: string[] = [];
    const engine = await openThreadedEngine({ kind: 'onnx', modelDir: tiny, device: 'cuda' }, { threads: 2, log: (l) => lines.push(l) });
    engines.push(engine);
    expect(lines).toHaveLength(engine.info.parameters.executionProvider === 'cpu' ? 1 : 0);
  });

  it('close() ends every thread and refuses later work', async () => {
    const exits: number[] = [];
    const engine = await open(tiny, 2, {
      startThread: (data: EngineThreadData) => {
        const worker = startEngineThread(data);
        worker.on('exit', (code) => exits.push(code));
        return worker;
      },
    });
    const running = engine.inferTile(gradientTile(), {});
    await engine.close();
    await running.then(
      (out) => expect(out.Hema.width).toBe(16),
      (error) => expect(error).toMatchObject({ code: 'ENGINE_FAILED' }),
    );
    expect(exits).toEqual([0, 0]);
    await expect(engine.inferTile(gradientTile(), {})).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
  });
});
