/**
 * Random search of built-in engine parameters over all data sets, with a leave-one-image-out
 * check. Every trial's per-image scores go to a JSON-lines log, so the search can be stopped and
 * analysed at any time: npx tsx gpu-worker/dev/tune-builtin-search.ts [--trials N] [--log FILE]
 * [--seed S] [--analyse]   (--analyse only reads the log: best trial and leave-one-out figures).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { DEFAULT_BUILTIN_OPTIONS, parseBuiltinOptions } from '../src/engines/builtin';
import { listCases, type Scores } from './tune-builtin-data';
import { runAndScore } from './tune-builtin';

type Range = readonly [number, number];

/** Search ranges, physical units at the reference scale (see BuiltinOptions). */
const SPACE: Record<string, Range> = {
  contrastOd: [0.03, 0.08],
  thresholdMinOd: [0.03, 0.07],
  smoothingSigmaMicrons: [0.25, 0.75],
  openingRadiusMicrons: [0, 0.75],
  splitDepthMicrons: [0.15, 0.8],
  intensityWeightMicronsPerOd: [0, 20],
  reliefSigmaMicrons: [0.5, 2],
  peakFraction: [0.3, 0.7],
  peakCapOd: [0.4, 1.6],
  positiveDabOd: [0.1, 0.35],
  dabPixelOd: [0.15, 0.5],
  backgroundWindowMicrons: [8, 20],
  distanceSigmaMicrons: [0, 0.75],
  minAreaMicrons2: [3, 12],
};

/**
 * One number per trial: F1 where the targets ask for it, Ki67 error (pp) everywhere, and the
 * relative count error of the paired tiles (their masks come from another modality).
 */
export function objective(perImage: Scores, skip?: string): number {
  const bySet: Record<string, { f1: number[]; err: number[]; count: number[] }> = {};
  for (const [key, s] of Object.entries(perImage)) {
    if (key === skip) continue;
    const set = key.split('/')[0];
    const b = (bySet[set] ??= { f1: [], err: [], count: [] });
    b.f1.push(s.f1 ?? 0);
    b.err.push(s.ki67_abs_err ?? 100);
    b.count.push(Math.abs(((s.n_pred ?? 0) - (s.n_gt ?? 0)) / Math.max(1, s.n_gt ?? 1)));
  }
  const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  let score = 0;
  for (const [set, b] of Object.entries(bySet)) {
    score -= 0.01 * mean(b.err);
    if (set === 'paired') score -= 0.5 * mean(b.count);
    else score += mean(b.f1);
  }
  return score;
}

interface Trial { options: Record<string, number | boolean>; perImage: Scores }

function randomOptions(random: () => number, around?: Record<string, number | boolean>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [key, [lo, hi]] of Object.entries(SPACE)) {
    const centre = around ? (around[key] as number) : undefined;
    const v = centre === undefined ? lo + random() * (hi - lo) : centre + (random() - 0.5) * 0.3 * (hi - lo);
    out[key] = Math.round(Math.min(hi, Math.max(lo, v)) * 1000) / 1000;
  }
  // Half the trials fix the threshold, half let the Otsu rule raise it up to 0.12.
  out.thresholdMaxOd = random() < 0.5 ? out.thresholdMinOd : Math.round((out.thresholdMinOd as number + random() * 0.07) * 1000) / 1000;
  out.convexFill = around ? (random() < 0.8 ? around.convexFill : !around.convexFill) : random() < 0.7;
  return out;
}

function analyse(trials: Trial[]): void {
  if (!trials.length) return;
  const best = [...trials].sort((a, b) => objective(b.perImage) - objective(a.perImage))[0];
  console.log(`trials ${trials.length}; best objective ${objective(best.perImage).toFixed(3)}:\n${JSON.stringify(best.options)}`);
  console.log('\nleave-one-image-out (parameters chosen without the image, scored on it):');
  const keys = Object.keys(best.perImage);
  for (const key of keys) {
    const chosen = [...trials].sort((a, b) => objective(b.perImage, key) - objective(a.perImage, key))[0];
    const s = chosen.perImage[key];
    const inBest = best.perImage[key];
    console.log(`${key.padEnd(24)} held-out F1 ${(s.f1 ?? 0).toFixed(3)} Ki67 err ${(s.ki67_abs_err ?? 0).toFixed(1)} n ${s.n_pred}/${s.n_gt}   (all-data best: F1 ${(inBest.f1 ?? 0).toFixed(3)}, err ${(inBest.ki67_abs_err ?? 0).toFixed(1)})`);
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: string): string => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const log = arg('--log', '/tmp/restain-tune/search.jsonl');
  const read = (): Trial[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Trial) : []);
  if (argv.includes('--analyse')) return analyse(read());
  const trials = Number(arg('--trials', '30'));
  const random = mulberry32(Number(arg('--seed', '1')));
  const cases = listCases(['deepliif', 'paired', 'bcdata', 'ki67']);
  for (let t = 0; t < trials; t++) {
    const done = read();
    const best = done.length ? [...done].sort((a, b) => objective(b.perImage) - objective(a.perImage))[0] : undefined;
    // Half the trials explore, half refine around the best so far.
    const options = t === 0 && !best ? { ...DEFAULT_BUILTIN_OPTIONS } : randomOptions(random, best && random() < 0.5 ? best.options : undefined);
    const result = await runAndScore(cases, parseBuiltinOptions(options), '/tmp/restain-tune/search-pred', true);
    appendFileSync(log, JSON.stringify({ options, perImage: result.perImage }) + '\n');
    console.log(`trial ${t}: objective ${objective(result.perImage).toFixed(3)}`);
  }
  analyse(read());
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
