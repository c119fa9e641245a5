/**
 * Prints, as JSON, the factor `restain analyze --resolution auto` would resize each training image
 * by (input px -> 40x reference px), so the nucleus net trains at the scale it will see:
 * `npx tsx gpu-worker/dev/train-nuclei/auto-scales.ts <image...>`.
 */
import sharp from 'sharp';
import { resolveScale } from '../../src/analysis/resolve-scale';

async function main(files: string[]): Promise<void> {
  const out: Record<string, number> = {};
  for (const file of files) {
    const meta = await sharp(file).metadata();
    const scale = await resolveScale({ kind: 'auto' }, meta.width!, meta.height!, async (r) => {
      const { data, info } = await sharp(file)
        .extract({ left: r.x, top: r.y, width: r.width, height: r.height })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    });
    out[file] = scale.factor;
  }
  console.log(JSON.stringify(out, null, 1));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(String(error));
  process.exit(1);
});
