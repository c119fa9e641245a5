/**
 * Dev: segment the CLI test's synthetic image (seed 7) in process with the built-in engine and list
 * the truth nuclei left without their own label (touching pairs merged), with an optional crop PNG
 * of the labels' edges over the input. Usage: npx tsx gpu-worker/dev/check-synthetic-split.ts [seed] [out.png x,y,w,h] [key=value ...]
 */
import sharp from 'sharp';
import { deconvolveStains, generateSyntheticIhc } from '@restain/shared';
import { parseBuiltinOptions, toPixelParameters } from '../src/engines/builtin/builtin-options';
import { prepareBuiltinContext } from '../src/engines/builtin/prepare-context';
import { segmentNuclei } from '../src/engines/builtin/segment-nuclei';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seed = Number(args[0] ?? 7);
  const out = args[1] && args[1].endsWith('.png') ? args[1] : '';
  const crop = out ? args[2].split(',').map(Number) : [];
  const options: Record<string, unknown> = {};
  for (const a of args.slice(out ? 3 : 1)) {
    const [k, v] = a.split('=');
    options[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  const truth = generateSyntheticIhc({ width: 900, height: 700, seed, cellCount: 120, positiveFraction: 0.35, touchingPairFraction: 0.25 });
  const img = truth.image;
  const settings = parseBuiltinOptions(options);
  const ctx = prepareBuiltinContext(img, settings);
  const { hematoxylin, dab } = deconvolveStains(img, ctx.stains, ctx.background);
  const t0 = performance.now();
  const seg = segmentNuclei(hematoxylin.data, dab.data, img.width, img.height, toPixelParameters(settings, ctx.nuclearThresholdOd));
  const ms = performance.now() - t0;
  const sx = new Float64Array(seg.count + 1);
  const sy = new Float64Array(seg.count + 1);
  const sa = new Float64Array(seg.count + 1);
  for (let i = 0; i < seg.labels.length; i++) {
    const l = seg.labels[i];
    if (!l) continue;
    sx[l] += i % img.width;
    sy[l] += Math.floor(i / img.width);
    sa[l]++;
  }
  const used = new Set<number>();
  let missed = 0;
  let clustered = 0;
  for (const cell of truth.cells) {
    if (cell.clusterId !== null) clustered++;
    let best = -1;
    let bd = Math.min(cell.radiusX, cell.radiusY) * 0.6;
    for (let l = 1; l <= seg.count; l++) {
      const d = Math.hypot(sx[l] / sa[l] - cell.x, sy[l] / sa[l] - cell.y);
      if (!used.has(l) && d <= bd) { best = l; bd = d; }
    }
    if (best >= 0) used.add(best);
    else {
      missed++;
      console.log(`missed (${cell.x.toFixed(0)},${cell.y.toFixed(0)}) r ${cell.radiusX.toFixed(1)}x${cell.radiusY.toFixed(1)} pos ${cell.positive} cluster ${cell.clusterId}`);
    }
  }
  console.log(`truth ${truth.cells.length} (clustered ${clustered}) labels ${seg.count} missed ${missed} segment ${ms.toFixed(0)} ms`);
  if (!out) return;
  const [x0, y0, w, h] = crop;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y0 + y) * img.width + x0 + x;
    const o = (y * w + x) * 3;
    for (let c = 0; c < 3; c++) rgb[o + c] = img.data[i * img.channels + c];
    const l = seg.labels[i];
    if (l && (seg.labels[i - 1] !== l || seg.labels[i + 1] !== l || seg.labels[i - img.width] !== l || seg.labels[i + img.width] !== l)) {
      rgb[o] = 0; rgb[o + 1] = 255; rgb[o + 2] = 0;
    }
  }
  for (const cell of truth.cells) {
    const x = Math.round(cell.x) - x0;
    const y = Math.round(cell.y) - y0;
    if (x >= 0 && y >= 0 && x < w && y < h) { const o = (y * w + x) * 3; rgb[o] = 255; rgb[o + 1] = 0; rgb[o + 2] = 255; }
  }
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).resize(w * 4, h * 4, { kernel: 'nearest' }).png().toFile(out);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
