import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Raster, cropRaster } from '@restain/shared';
import { analyzeImage } from '../src/analysis/analyze-image';
import { DEFAULT_ANALYZE_OPTIONS } from '../src/analysis/analyze-options';
import { createEngine } from '../src/engines/create-engine';
import type { EngineSpec } from '../src/engines/engine';
import { defaultNucleusModelDir } from '../src/engines/nuclei/model-dir';
import { openThreadedEngine } from '../src/engines/threaded-engine';

/** The engines `npm run bench` times: the classical built-in one and the default (nucleus net). */
export const BENCH_ENGINES: ReadonlyArray<{ readonly label: string; readonly spec: EngineSpec; readonly tileTargetMs?: number; readonly roiTargetS?: number }> = [
  { label: 'Built-in engine', spec: { kind: 'builtin' }, tileTargetMs: 100, roiTargetS: 1.5 },
  { label: 'Nuclei engine (default)', spec: { kind: 'nuclei', modelDir: defaultNucleusModelDir(), device: 'cpu', intraOpThreads: 1 } },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One engine on one 512 tile: ms per tile on one core, then tiles/s on every core. */
export async function benchEngineTile(bench: (typeof BENCH_ENGINES)[number], tile512: Raster, source: string): Promise<void> {
  const tile = cropRaster(tile512, 0, 0, Math.min(512, tile512.width), Math.min(512, tile512.height));
  const engine = await createEngine(bench.spec);
  const context = await engine.prepare(tile);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await engine.inferTile(tile, context);
    times.push(performance.now() - start);
  }
  await engine.close();
  const threads = 2;
  const threaded = await openThreadedEngine(bench.spec, { threads });
  const threadedContext = await threaded.prepare({ ...tile, data: tile.data.slice() });
  const count = 16;
  // inferTile moves each tile's buffer to its thread: every call gets its own copy.
  const copy = (): Raster => ({ ...tile, data: tile.data.slice() });
  await Promise.all([0, 1].map(() => threaded.inferTile(copy(), threadedContext)));
  const copies = Array.from({ length: count }, copy);
  const start = performance.now();
  await Promise.all(copies.map((copy) => threaded.inferTile(copy, threadedContext)));
  const seconds = (performance.now() - start) / 1000;
  await threaded.close();
  process.stdout.write(
    `${bench.label}, ${tile.width} x ${tile.height} tile (${source}):\n` +
      `  one core: median ${median(times).toFixed(1)} ms per tile (min ${Math.min(...times).toFixed(1)}${bench.tileTargetMs ? `, target <= ${bench.tileTargetMs}` : ''})\n` +
      `  ${threads} worker threads: ${(count / seconds).toFixed(2)} tiles/s (${((seconds * 1000 * threads) / count).toFixed(1)} ms per tile per core)\n\n`,
  );
}

/** ROI_1 end to end (decode to published outputs) with the per-stage timings of its manifest. */
export async function benchRoi(bench: (typeof BENCH_ENGINES)[number], roiPath: string, workDir: string): Promise<void> {
  const engine = await openThreadedEngine(bench.spec, { threads: 2 });
  try {
    const runs: { ms: number; timings: Record<string, number>; cells: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const outDir = path.join(workDir, `roi-${i}`);
      const start = performance.now();
      const result = await analyzeImage({ inputPath: roiPath, outDir, options: DEFAULT_ANALYZE_OPTIONS, engine, concurrency: 2 });
      const ms = performance.now() - start;
      const manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8'));
      runs.push({ ms, timings: manifest.timingsMs, cells: result.scoring.num_total });
    }
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const stages = Object.entries(best.timings).map(([stage, ms]) => `${stage} ${ms}`).join(', ');
    process.stdout.write(
      `ROI_1 (${path.basename(roiPath)}) end to end, ${bench.label}, default options (auto scale), 2 threads:\n` +
        `  best of ${runs.length}: ${(best.ms / 1000).toFixed(2)} s (runs: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} s${bench.roiTargetS ? `; target <= ${bench.roiTargetS} s` : ''})\n` +
        `  stages (ms): ${stages}\n  cells: ${best.cells}\n\n`,
    );
  } finally {
    await engine.close();
  }
}
