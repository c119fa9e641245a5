/** Dev: median ms per 512 tile on one core for nucleus model folders. Usage: npx tsx gpu-worker/dev/time-model.ts <image> <model dir>... */
import sharp from 'sharp';
import { createEngine } from '../src/engines/create-engine';

async function main(): Promise<void> {
  const [image, ...dirs] = process.argv.slice(2);
  const { data, info } = await sharp(image).removeAlpha().extract({ left: 0, top: 0, width: 512, height: 512 }).raw().toBuffer({ resolveWithObject: true });
  const tile = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) };
  for (const modelDir of dirs) {
    const engine = await createEngine({ kind: 'nuclei', modelDir, device: 'cpu', intraOpThreads: 1 });
    const context = await engine.prepare(tile);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      await engine.inferTile(tile, context);
      times.push(performance.now() - start);
    }
    await engine.close();
    times.sort((a, b) => a - b);
    console.log(`${modelDir}: median ${times[3].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`);
  }
}
main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
