import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { timeTiles } from '../src/engines/onnx/testing/time-tiles';

/**
 * The DeepLIIF-size ResNet-9 generator (random weights: speed only) as a one-net model folder,
 * timed per 512 tile on CPU in a worker thread, with the main thread's event-loop delay measured
 * meanwhile (it must stay small: inference never blocks the event loop).
 */
export async function benchOnnxGenerator(modelFile: string, workDir: string): Promise<void> {
  const modelDir = path.join(workDir, 'onnx-generator');
  await mkdir(modelDir, { recursive: true });
  await symlink(modelFile, path.join(modelDir, 'generator.onnx'));
  await writeFile(
    path.join(modelDir, 'manifest.json'),
    JSON.stringify({
      name: 'deepliif-resnet9-random',
      version: 'bench',
      inputSize: 512,
      normalisation: { kind: 'tanh' },
      translation: [{ file: 'generator.onnx', channel: 'Hema' }],
      segmentation: [{ file: 'generator.onnx', input: 'IHC' }],
      segmentationFusionWeights: [1],
    }),
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const timing = await timeTiles({ kind: 'onnx', modelDir, device: 'cpu', intraOpThreads: 2 }, 512, 1, 3);
  loop.disable();
  // One tile runs the generator twice here (translation + segmentation net).
  process.stdout.write(
    `ONNX engine, DeepLIIF-size ResNet-9 generator (${path.basename(modelFile)}), 512 tile, CPU, 1 thread x 2 intra-op:\n` +
      `  load ${(timing.openMs / 1000).toFixed(2)} s; ${(timing.msPerTile / 2000).toFixed(2)} s per generator run per tile (target <= ~3 s)\n` +
      `  main event loop delay while inferring: max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms\n\n`,
  );
}
