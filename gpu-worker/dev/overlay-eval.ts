/**
 * Dev: draw prediction (SegRefined cell edges, yellow) and truth (mask edges cyan, points as dots:
 * green negative, magenta positive, white other; outlines cyan) over an input, for eyeballing
 * eval-data results (`npm run eval:data -- --keep`). Usage: npx tsx gpu-worker/dev/overlay-eval.ts INPUT SEGREFINED GT OUT.png [crop x,y,w,h]
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

async function rgb(file: string, width?: number, height?: number): Promise<{ data: Buffer; width: number; height: number }> {
  let img = sharp(file).removeAlpha();
  if (width && height) img = img.resize(width, height, { kernel: 'nearest' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function main(): Promise<void> {
  const [input, pred, gt, out, crop] = process.argv.slice(2);
  const base = await rgb(input);
  const { width, height } = base;
  const img = Buffer.from(base.data);
  const p = await rgb(pred, width, height);
  const cell = (d: Buffer, i: number): boolean => d[i * 3] + d[i * 3 + 2] > 120 && d[i * 3 + 1] <= 80;
  const put = (i: number, r: number, g: number, b: number): void => { img[i * 3] = r; img[i * 3 + 1] = g; img[i * 3 + 2] = b; };
  for (let y = 1; y < height - 1; y++) for (let x = 1; x < width - 1; x++) {
    const i = y * width + x;
    if (cell(p.data, i) && (!cell(p.data, i - 1) || !cell(p.data, i + 1) || !cell(p.data, i - width) || !cell(p.data, i + width))) {
      const pos = p.data[i * 3] >= p.data[i * 3 + 2];
      put(i, 255, pos ? 140 : 255, 0);
    }
  }
  if (gt.endsWith('.png')) {
    const g = await rgb(gt, width, height);
    for (let y = 1; y < height - 1; y++) for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (cell(g.data, i) && (!cell(g.data, i - 1) || !cell(g.data, i + 1) || !cell(g.data, i - width) || !cell(g.data, i + width))) put(i, 0, 255, 255);
    }
  } else {
    const items = JSON.parse(readFileSync(gt, 'utf8')) as Array<{ x?: number; y?: number; label: string; polygon?: number[][] }>;
    for (const it of items) {
      const colour = it.label === 'positive' ? [255, 0, 255] : it.label === 'negative' ? [0, 255, 0] : [255, 255, 255];
      if (it.polygon) {
        const poly = it.polygon;
        for (let k = 0; k < poly.length; k++) {
          const [x0, y0] = poly[k];
          const [x1, y1] = poly[(k + 1) % poly.length];
          const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0)) + 1;
          for (let s = 0; s <= steps; s++) {
            const x = Math.round(x0 + ((x1 - x0) * s) / steps);
            const y = Math.round(y0 + ((y1 - y0) * s) / steps);
            for (let t = -1; t <= 1; t++) if (x + t >= 0 && x + t < width && y >= 0 && y < height) put(y * width + x + t, colour[0] === 0 ? 0 : 0, colour[0] === 255 ? 255 : 200, 255);
          }
        }
      } else if (it.x !== undefined && it.y !== undefined) {
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
          const x = Math.round(it.x) + dx;
          const y = Math.round(it.y) + dy;
          if (x >= 0 && y >= 0 && x < width && y < height) put(y * width + x, colour[0], colour[1], colour[2]);
        }
      }
    }
  }
  let s = sharp(img, { raw: { width, height, channels: 3 } });
  if (crop) {
    const [left, top, w, h] = crop.split(',').map(Number);
    s = s.extract({ left, top, width: w, height: h });
  }
  await s.png().toFile(out);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
