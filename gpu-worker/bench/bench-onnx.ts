import path from 'node:path';
import { timeTiles, writeBenchModel } from '../src/engines/onnx/testing';

/**
 * The DeepLIIF-size ResNet-9 generator (random weights: speed only) as the 4 translation nets of a
 * model folder whose 5 segmentation nets are tiny, timed per 512 tile on CPU in worker threads
 * while the main thread's event-loop delay is measured (inference must never block it).
 */
export async function benchOnnxGenerator(generatorFile: string, workDir: string): Promise<void> {
  const modelDir = path.join(workDir, 'onnx-generator');
  await writeBenchModel(modelDir, generatorFile, { segWidth: 4, segLayers: 1 });
  const generatorsPerTile = 4;
  for (const [threads, intraOpThreads] of [
    [1, 2],
    [2, 1],
  ]) {
    const timing = await timeTiles({ kind: 'onnx', modelDir, device: 'cpu', intraOpThreads }, 512, threads, 2 * threads);
    const loop = timing.loopDelay;
    process.stdout.write(
      `ONNX engine, DeepLIIF-size ResNet-9 generator x ${generatorsPerTile} per 512 tile, CPU, ${threads} thread(s) x ${intraOpThreads} intra-op:\n` +
        `  load ${(timing.openMs / 1000).toFixed(2)} s; ${(timing.msPerTile / 1000).toFixed(2)} s per tile = ` +
        `${(timing.msPerTile / generatorsPerTile / 1000).toFixed(2)} s per generator run (target <= ~3 s)\n` +
        `  main event loop delay while inferring: max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms\n\n`,
    );
  }
}
