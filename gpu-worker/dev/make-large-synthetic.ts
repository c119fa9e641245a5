/** Dev: write a large synthetic IHC PNG (for memory profiling): npx tsx gpu-worker/dev/make-large-synthetic.ts <out.png> [edge] */
import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';

const [out, edgeText] = process.argv.slice(2);
const edge = Number(edgeText ?? 10000);
const { image } = generateSyntheticIhc({ width: edge, height: edge, seed: 11, cellDensityPerMm2: 2000 });
sharp(image.data, { raw: { width: edge, height: edge, channels: 3 } })
  .png({ compressionLevel: 1 })
  .toFile(out)
  .then(() => process.stdout.write(`${out}: ${edge} x ${edge}\n`));
