/**
 * Run the built-in engine on the real data sets and score it with the python tools.
 * Usage: npx tsx gpu-worker/dev/tune-builtin.ts [--sets deepliif,paired,bcdata,ki67]
 *        [--opt key=value ...] [--scale set=factor ...] [--out DIR] [--json FILE] [--fast]
 * --fast scores ki67-outlines at the reference scale (for searches); without it, at full size.
 * Prints a table per image and per set against the accuracy targets.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Raster } from '@restain/shared';
import { inferBuiltinTile, parseBuiltinOptions, type BuiltinOptions } from '../src/engines/builtin';
import { prepareBuiltinContext } from '../src/engines/builtin/prepare-context';
import { listCases, loadCase, REFERENCE_NUCLEUS_DIAMETER_PX, scoreSet, writePng, type ImageCase, type Scores, type SetName } from './tune-builtin-data';

/** DeepLIIF's cell rule on Seg, rendered as a clean SegRefined (red/blue cells, green edges). */
export function refineSeg(seg: Raster, segThresh = 120): Raster {
  const { width, height, data } = seg;
  const n = width * height;
  const labels = new Int32Array(n);
  const cell = (p: number): boolean => data[p * 3] + data[p * 3 + 2] > segThresh && data[p * 3 + 1] <= 80;
  const queue = new Int32Array(n);
  const votes: number[] = [0];
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (labels[s] || !cell(s)) continue;
    labels[s] = ++count;
    let vote = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const p = queue[head++];
      vote += data[p * 3] >= data[p * 3 + 2] ? 1 : -1;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const q = yy * width + xx;
        if (!labels[q] && cell(q)) {
          labels[q] = count;
          queue[tail++] = q;
        }
      }
    }
    votes.push(vote);
  }
  const out = new Uint8Array(n * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = y * width + x;
    const l = labels[p];
    let edge = false;
    for (let dy = -1; dy <= 1 && !edge; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      const m = labels[yy * width + xx];
      if ((l === 0 && m > 0) || (l > 0 && m !== l && m > 0)) { edge = true; break; }
    }
    if (edge) out[p * 3 + 1] = 255;
    else if (l) out[p * 3 + (votes[l] >= 0 ? 0 : 2)] = 255;
  }
  return { width, height, channels: 3, data: out };
}

export interface RunResult { perImage: Scores; perSet: Record<string, Record<string, number>>; tileMs: number[]; scales: Record<string, number> }

/** Run the engine over the cases, write SegRefined predictions, score each set. */
export async function runAndScore(cases: ImageCase[], settings: BuiltinOptions, outDir: string, fast = false): Promise<RunResult> {
  const perImage: Scores = {};
  const tileMs: number[] = [];
  const scales: Record<string, number> = {};
  const sets = [...new Set(cases.map((c) => c.set))];
  for (const set of sets) {
    const predDir = join(outDir, set);
    rmSync(predDir, { recursive: true, force: true });
    mkdirSync(predDir, { recursive: true });
    const ids: string[] = [];
    for (const c of cases.filter((k) => k.set === set)) {
      const scale = c.scale === 'auto' ? await estimateScale(c, settings) : c.scale;
      scales[`${set}/${c.id}`] = scale;
      const { original, reference } = await loadCase(c, scale);
      const context = prepareBuiltinContext(reference, settings);
      const t0 = performance.now();
      const channels = inferBuiltinTile(reference, { ...context }, settings);
      tileMs.push(((performance.now() - t0) * 512 * 512) / (reference.width * reference.height));
      const atReference = fast && c.set === 'ki67';
      await writePng(refineSeg(channels.Seg), join(predDir, `${c.id}.png`), atReference ? undefined : original);
      ids.push(c.id);
    }
    const ki67Case = cases.find((c) => c.set === 'ki67');
    const ki67Scale = fast && ki67Case && ki67Case.scale !== 'auto' ? ki67Case.scale : 1;
    const gtCache = join(outDir, '..', ki67Scale === 1 ? 'gt-ki67' : `gt-ki67-x${ki67Scale}`);
    const scores = scoreSet(set, predDir, gtCache, ids, ki67Scale);
    for (const [id, s] of Object.entries(scores)) perImage[`${set}/${id}`] = s;
  }
  return { perImage, perSet: summarise(perImage), tileMs, scales };
}

/**
 * Nucleus-size scale estimate for images of unknown magnification: segment at scale 1 and take
 * REFERENCE_NUCLEUS_DIAMETER_PX over the median equivalent diameter of the nuclei found (fragments
 * excluded). Rounded to 0.05.
 */
export async function estimateScale(c: ImageCase, settings: BuiltinOptions): Promise<number> {
  const { reference } = await loadCase(c, 1);
  const seg = inferBuiltinTile(reference, { ...prepareBuiltinContext(reference, settings) }, settings).Seg;
  const labels = refineSegLabels(seg);
  // Fragments below a quarter of a reference nucleus are ignored.
  const minArea = (Math.PI * REFERENCE_NUCLEUS_DIAMETER_PX ** 2) / 16;
  const areas = labels.filter((a) => a >= minArea).sort((a, b) => a - b);
  if (!areas.length) return 1;
  const median = areas[areas.length >> 1];
  const diameter = 2 * Math.sqrt(median / Math.PI);
  return Math.min(1.5, Math.max(0.25, Math.round((REFERENCE_NUCLEUS_DIAMETER_PX / diameter) * 20) / 20));
}

/** Areas of the cells DeepLIIF's rule extracts from a Seg raster. */
function refineSegLabels(seg: Raster): number[] {
  const refined = refineSeg(seg);
  const { width, height, data } = refined;
  const seen = new Uint8Array(width * height);
  const areas: number[] = [];
  const stack: number[] = [];
  const isCell = (p: number): boolean => data[p * 3 + 1] === 0 && (data[p * 3] > 0 || data[p * 3 + 2] > 0);
  for (let s = 0; s < width * height; s++) {
    if (seen[s] || !isCell(s)) continue;
    seen[s] = 1;
    stack.push(s);
    let area = 0;
    while (stack.length) {
      const p = stack.pop() as number;
      area++;
      const x = p % width;
      for (const q of [p - 1, p + 1, p - width, p + width]) {
        if (q < 0 || q >= width * height || (q === p - 1 && x === 0) || (q === p + 1 && x === width - 1)) continue;
        if (!seen[q] && isCell(q)) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    areas.push(area);
  }
  return areas;
}

function summarise(perImage: Scores): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [key, s] of Object.entries(perImage)) {
    const set = key.split('/')[0];
    const agg = (out[set] ??= { n: 0, f1: 0, ki67Err: 0, countErr: 0 });
    agg.n++;
    agg.f1 += (s.f1 ?? 0);
    agg.ki67Err += (s.ki67_abs_err ?? 100);
    agg.countErr += Math.abs(((s.n_pred ?? 0) - (s.n_gt ?? 0)) / Math.max(1, s.n_gt ?? 1));
  }
  for (const agg of Object.values(out)) {
    agg.f1 /= agg.n;
    agg.ki67Err /= agg.n;
    agg.countErr /= agg.n;
  }
  return out;
}

const TARGETS: Record<string, string> = {
  deepliif: 'each F1 >= 0.75, Ki67 err <= 3',
  paired: 'count within 15%, Ki67 err <= 3',
  bcdata: 'mean F1 >= 0.80, Ki67 err <= 5',
  ki67: 'F1 >= 0.70, Ki67 err <= 5',
};

export function printTable(result: RunResult): void {
  const f = (v: number | null | undefined, d = 3): string => (v === null || v === undefined ? '-' : v.toFixed(d));
  console.log('image                     n_gt n_pred  prec   rec    F1   ki67gt ki67pr  err');
  for (const [key, s] of Object.entries(result.perImage)) {
    console.log(`${key.padEnd(24)} ${String(s.n_gt).padStart(5)} ${String(s.n_pred).padStart(6)} ${f(s.precision)} ${f(s.recall)} ${f(s.f1)} ${f(s.ki67_gt, 1).padStart(6)} ${f(s.ki67_pred, 1).padStart(6)} ${f(s.ki67_abs_err, 1).padStart(5)}`);
  }
  console.log('\nset        F1(mean)  Ki67err(mean)  |count err|(mean)  target');
  for (const [set, a] of Object.entries(result.perSet)) {
    console.log(`${set.padEnd(10)} ${f(a.f1).padStart(8)} ${f(a.ki67Err, 2).padStart(14)} ${f(a.countErr, 3).padStart(18)}  ${TARGETS[set]}`);
  }
  console.log(`\nscale factors used (input px -> reference px): ${Object.entries(result.scales).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const ms = result.tileMs;
  if (ms.length) console.log(`\nengine time per 512x512-equivalent: median ${[...ms].sort((a, b) => a - b)[ms.length >> 1].toFixed(1)} ms`);
}

function parseArgs(argv: string[]): { sets: SetName[]; options: Record<string, unknown>; scales: Partial<Record<SetName, number>>; out: string; json?: string; fast: boolean } {
  let sets: SetName[] = ['deepliif', 'paired', 'bcdata', 'ki67'];
  const options: Record<string, unknown> = {};
  const scales: Partial<Record<SetName, number>> = {};
  let out = '/tmp/restain-tune/pred';
  let json: string | undefined;
  let fast = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fast') {
      fast = true;
      continue;
    }
    const v = argv[++i];
    if (a === '--sets') sets = v.split(',') as SetName[];
    else if (a === '--out') out = v;
    else if (a === '--json') json = v;
    else if (a === '--opt' || a === '--scale') {
      const [k, raw] = v.split('=');
      const value = raw === 'true' ? true : raw === 'false' ? false : Number(raw);
      if (a === '--opt') options[k] = value;
      else scales[k as SetName] = Number(raw);
    } else throw new Error(`Unknown argument ${a}`);
  }
  return { sets, options, scales, out, json, fast };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const settings = parseBuiltinOptions(args.options);
  const result = await runAndScore(listCases(args.sets, args.scales), settings, args.out, args.fast);
  printTable(result);
  if (args.json) writeFileSync(args.json, JSON.stringify({ settings, ...result }, null, 1));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
