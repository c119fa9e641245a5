/** Dev: `npm run bench`'s per-tile timing for other nucleus model folders. Usage: npx tsx gpu-worker/dev/time-model.ts <image> <model dir>... */
import sharp from 'sharp';
import { benchEngineTile } from '../bench/bench-engines';

async function main(): Promise<void> {
  const [image, ...dirs] = process.argv.slice(2);
  const { data, info } = await sharp(image).removeAlpha().extract({ left: 0, top: 0, width: 512, height: 512 }).raw().toBuffer({ resolveWithObject: true });
  const tile = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) };
  for (const modelDir of dirs) {
    await benchEngineTile({ label: modelDir, spec: { kind: 'nuclei', modelDir, device: 'cpu', intraOpThreads: 1 } }, tile, image);
  }
}
main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
