/**
 * Dev: per-nucleus stain features of the built-in segmentation (whole image at the reference scale),
 * matched to truth (bcdata: the point inside a nucleus; ki67-outlines: the outline whose centroid
 * falls in it), to see which feature tells brown cytoplasm from weak nuclear DAB.
 * Usage: npx tsx gpu-worker/dev/measure-nucleus-dab.ts bcdata|ki67|paired|deepliif µm/px,µm/px,... [key=value ...]
 * (pixel sizes per image in listCases order, as eval-builtin.ts prints them).
 */
import { deconvolveStains } from '@restain/shared';
import { parseBuiltinOptions, toPixelParameters } from '../src/engines/builtin/builtin-options';
import { prepareBuiltinContext } from '../src/engines/builtin/prepare-context';
import { segmentNuclei } from '../src/engines/builtin/segment-nuclei';
import { distanceToBackground } from '../src/engines/builtin/distance-transform';
import { DATA, listCases, loadCase, readJson, type SetName } from './tune-builtin-data';

const REF = 0.25;

async function main(): Promise<void> {
  const [set, sizes, ...kv] = process.argv.slice(2);
  const options: Record<string, unknown> = {};
  for (const a of kv) options[a.split('=')[0]] = Number(a.split('=')[1]);
  const settings = parseBuiltinOptions(options);
  const px = sizes.split(',').map(Number);
  const cases = listCases([set as SetName]);
  console.log('id truth pred area meanD coreD coreH ringD ringH coreD-ringD');
  for (const [k, c] of cases.entries()) {
    const scale = px[k] ? px[k] / REF : c.scale === 'auto' ? 1 : c.scale;
    const { reference } = await loadCase(c, scale);
    const { width, height } = reference;
    const ctx = prepareBuiltinContext(reference, settings);
    const { hematoxylin, dab } = deconvolveStains(reference, ctx.stains, ctx.background);
    const p = toPixelParameters(settings, ctx.nuclearThresholdOd);
    const seg = segmentNuclei(hematoxylin.data, dab.data, width, height, p);
    const { labels, count } = seg;
    const n = width * height;
    // Core: >= 1 µm inside; ring: 0.5-2 µm outside any nucleus, given to the nearest by BFS order.
    const inside = new Uint8Array(n);
    for (let i = 0; i < n; i++) inside[i] = labels[i] ? 1 : 0;
    const depth = distanceToBackground(inside, width, height, false);
    const outside = new Uint8Array(n);
    for (let i = 0; i < n; i++) outside[i] = labels[i] ? 0 : 1;
    const away = distanceToBackground(outside, width, height, false);
    const owner = new Int32Array(labels);
    let frontier: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i]) frontier.push(i);
    const ringMax = 2 / REF;
    for (let step = 0; step < ringMax + 1 && frontier.length; step++) {
      const next: number[] = [];
      for (const i of frontier) {
        const x = i % width;
        for (const q of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
          if (q < 0 || q >= n || owner[q]) continue;
          owner[q] = owner[i];
          next.push(q);
        }
      }
      frontier = next;
    }
    const acc = Array.from({ length: 8 }, () => new Float64Array(count + 1));
    const [area, cA, cD, cH, rA, rD, rH, sD] = acc;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l) {
        area[l]++;
        sD[l] += dab.data[i];
        if (depth[i] >= 1 / REF) { cA[l]++; cD[l] += dab.data[i]; cH[l] += hematoxylin.data[i]; }
      } else if (owner[i] && away[i] >= 0.5 / REF && away[i] <= ringMax) {
        rA[owner[i]]++; rD[owner[i]] += dab.data[i]; rH[owner[i]] += hematoxylin.data[i];
      }
    }
    const truth = new Array<string>(count + 1).fill('none');
    if (set === 'bcdata') {
      for (const pt of readJson<Array<{ x: number; y: number; label: string }>>(`${DATA}/bcdata-sample/${c.id}.points.json`)) {
        const x = Math.round(pt.x * scale);
        const y = Math.round(pt.y * scale);
        const l = x >= 0 && y >= 0 && x < width && y < height ? labels[y * width + x] : 0;
        if (l) truth[l] = truth[l] === 'none' ? pt.label : 'multi';
      }
    } else if (set === 'ki67') {
      for (const cell of readJson<Array<{ label: string; polygon: number[][] }>>(`${DATA}/ki67-outlines/${c.id}.cells.json`)) {
        const cx = cell.polygon.reduce((s, q) => s + q[0], 0) / cell.polygon.length;
        const cy = cell.polygon.reduce((s, q) => s + q[1], 0) / cell.polygon.length;
        const x = Math.round(cx * scale);
        const y = Math.round(cy * scale);
        const l = x >= 0 && y >= 0 && x < width && y < height ? labels[y * width + x] : 0;
        if (l) truth[l] = truth[l] === 'none' ? cell.label : 'multi';
      }
    }
    for (let l = 1; l <= count; l++) {
      const coreD = cA[l] >= 12 ? cD[l] / cA[l] : sD[l] / area[l];
      const coreH = cA[l] >= 12 ? cH[l] / cA[l] : NaN;
      const ringD = rA[l] ? rD[l] / rA[l] : NaN;
      const ringH = rA[l] ? rH[l] / rA[l] : NaN;
      const f = (v: number): string => v.toFixed(3);
      console.log(`${c.id} ${truth[l]} ${seg.positive[l]} ${area[l]} ${f(sD[l] / area[l])} ${f(coreD)} ${f(coreH)} ${f(ringD)} ${f(ringH)} ${f(coreD - ringD)}`);
    }
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
