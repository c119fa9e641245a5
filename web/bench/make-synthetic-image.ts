/**
 * Writes a synthetic IHC image of the given size (default 3000 x 3000, 40x) as PNG: the input the
 * browser benchmark analyses. Usage: tsx web/bench/make-synthetic-image.ts <out.png> [width] [height]
 */
import { generateSyntheticIhc, SAMPLE_IMAGE_OPTIONS } from '@restain/shared';
import { writePngRaster } from '@restain/gpu-worker/src/image/write-png';

async function main(): Promise<void> {
  const [out, w = '3000', h = '3000'] = process.argv.slice(2);
  if (!out) throw new Error('Usage: make-synthetic-image.ts <out.png> [width] [height]');
  const width = Number(w), height = Number(h);
  // The sample's density per pixel (150 nuclei on 1024 x 768), so the result looks like the sample.
  const cellCount = Math.round((150 * width * height) / (1024 * 768));
  const truth = generateSyntheticIhc({ ...SAMPLE_IMAGE_OPTIONS, width, height, seed: 7, cellCount });
  await writePngRaster(truth.image, out);
  process.stdout.write(`${out}: ${width} x ${height}, ${truth.cells.length} cells\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
