import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Raster, cropRaster } from '@restain/shared';
import { analyzeImage } from '../src/analysis/analyze-image';
import { DEFAULT_ANALYZE_OPTIONS } from '../src/analysis/analyze-options';
import { createBuiltinEngine } from '../src/engines/builtin';
import { openThreadedEngine } from '../src/engines/threaded-engine';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Built-in engine on one 512 tile: ms per tile on one core, then tiles/s on every core. */
export async function benchBuiltinTile(tile512: Raster, source: string): Promise<void> {
  const tile = cropRaster(tile512, 0, 0, Math.min(512, tile512.width), Math.min(512, tile512.height));
  const engine = createBuiltinEngine();
  const context = await engine.prepare(tile);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await engine.inferTile(tile, context);
    times.push(performance.now() - start);
  }
  const threads = 2;
  const threaded = await openThreadedEngine({ kind: 'builtin' }, { threads });
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
    `Built-in engine, ${tile.width} x ${tile.height} tile (${source}):\n` +
      `  one core: median ${median(times).toFixed(1)} ms per tile (min ${Math.min(...times).toFixed(1)}, target <= 100)\n` +
      `  ${threads} worker threads: ${(count / seconds).toFixed(2)} tiles/s (${((seconds * 1000 * threads) / count).toFixed(1)} ms per tile per core)\n\n`,
  );
}

/** ROI_1 end to end (decode to published outputs) with the per-stage timings of its manifest. */
export async function benchRoi(roiPath: string, workDir: string): Promise<void> {
  const engine = await openThreadedEngine({ kind: 'builtin' }, { threads: 2 });
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
      `ROI_1 (${path.basename(roiPath)}) end to end, default options (auto scale), 2 threads:\n` +
        `  best of ${runs.length}: ${(best.ms / 1000).toFixed(2)} s (runs: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} s; target <= 1.5 s)\n` +
        `  stages (ms): ${stages}\n  cells: ${best.cells}\n\n`,
    );
  } finally {
    await engine.close();
  }
}
