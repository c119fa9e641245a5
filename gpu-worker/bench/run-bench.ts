/**
 * `npm run bench`: speed and memory figures for the analysis core, printed (not asserted: this
 * machine is shared and noisy, compare ratios within one run). Reads ../shared/data and
 * ../shared/models where present and says what it skipped otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type Raster, generateSyntheticIhc } from '@restain/shared';
import { BENCH_ENGINES, benchEngineTile, benchRoi } from './bench-engines';
import { benchLargeImageMemory } from './bench-memory';
import { benchOnnxGenerator } from './bench-onnx';
import { SHARED_DATA_DIR, SHARED_MODELS_DIR } from './shared-data';

async function loadTile(): Promise<{ tile: Raster; source: string }> {
  const real = path.join(SHARED_DATA_DIR, 'deepliif-sample/test-ihc/22_2.png');
  if (existsSync(real)) {
    const { data, info } = await sharp(real).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { tile: { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) }, source: '22_2.png (real, 40x)' };
  }
  process.stdout.write(`(${SHARED_DATA_DIR} absent: using a synthetic 512 tile)\n`);
  return { tile: generateSyntheticIhc({ width: 512, height: 512, seed: 1 }).image, source: 'synthetic 512 x 512' };
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'restain-bench-'));
  try {
    process.stdout.write(`Restain benchmarks on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})\n\n`);
    if (!only || only === 'tile') {
      const { tile, source } = await loadTile();
      for (const bench of BENCH_ENGINES) await benchEngineTile(bench, tile, source);
    }
    if (!only || only === 'roi') {
      const roi = path.join(SHARED_DATA_DIR, 'deepliif-sample/large-roi/ROI_1.png');
      if (existsSync(roi)) for (const bench of BENCH_ENGINES) await benchRoi(bench, roi, workDir);
      else process.stdout.write(`ROI_1: skipped (${roi} absent)\n\n`);
    }
    if (!only || only === 'memory') await benchLargeImageMemory(workDir, 10_000);
    if (!only || only === 'onnx') {
      const model = path.join(SHARED_MODELS_DIR, 'deepliif-resnet9-random/generator.onnx');
      if (existsSync(model)) await benchOnnxGenerator(model, workDir);
      else process.stdout.write(`ONNX: skipped (${model} absent)\n`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
