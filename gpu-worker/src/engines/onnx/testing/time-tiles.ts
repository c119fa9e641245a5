import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { EngineSpec } from '../../engine';
import { openThreadedEngine } from '../../threaded-engine';

export interface TileTiming {
  /** Wall time to start the threads and load the model (ms). */
  readonly openMs: number;
  /** Wall time from first submit to last result (ms). */
  readonly totalMs: number;
  /** totalMs / tiles: throughput cost of one tile with this configuration (ms). */
  readonly msPerTile: number;
  /** The main thread's event-loop delay from the first tile submitted to the last result (not while loading). */
  readonly loopDelay: IntervalHistogram;
}

/**
 * Times `tiles` grey inputSize x inputSize tiles through a threaded engine (all submitted at once,
 * so every thread is busy), after one warm-up tile per thread. For benchmarks and tuning.
 */
export async function timeTiles(spec: EngineSpec, inputSize: number, threads: number, tiles: number): Promise<TileTiming> {
  const tile = () => {
    const data = new Uint8Array(inputSize * inputSize * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    return { width: inputSize, height: inputSize, channels: 3 as const, data };
  };
  const opened = performance.now();
  const engine = await openThreadedEngine(spec, { threads });
  const openMs = performance.now() - opened;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  try {
    await Promise.all(Array.from({ length: threads }, () => engine.inferTile(tile(), {})));
    const started = performance.now();
    await Promise.all(Array.from({ length: tiles }, () => engine.inferTile(tile(), {})));
    const totalMs = performance.now() - started;
    return { openMs, totalMs, msPerTile: totalMs / tiles, loopDelay };
  } finally {
    loopDelay.disable();
    await engine.close();
  }
}
