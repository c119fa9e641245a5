/**
 * Dev: eval-data's pipeline (analyzeImage with default options, then the project's eval) with
 * built-in engine options overridden, in process, printing one compact line per image and set.
 * Usage: npx tsx gpu-worker/dev/eval-builtin.ts [deepliif,paired,bcdata,ki67] [key=value ...] [px=µm/px for auto sets]
 *   [model=<nucleus model dir>: the nuclei engine instead] [images=<stem>,<stem>: only these images]
 */
import { mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ScaleSpec } from '@restain/shared';
import { analyzeImage } from '../src/analysis/analyze-image';
import { DEFAULT_ANALYZE_OPTIONS } from '../src/analysis/analyze-options';
import { createBuiltinEngine } from '../src/engines/builtin';
import { createEngine } from '../src/engines/create-engine';
import { evaluateDirectories } from '../src/eval';

const DATA = '/work/shared/data';

interface DevSet { name: string; inputs: string[]; gts: string[]; scale: ScaleSpec; options: { radiusPx?: number; ignoreUnannotated?: number; sizeThresh?: number } }

async function list(dir: string, ext: string, gtDir: string, gtSuffix: string): Promise<{ inputs: string[]; gts: string[] }> {
  const names = (await readdir(dir)).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();
  return { inputs: names.map((n) => path.join(dir, n + ext)), gts: names.map((n) => path.join(gtDir, n + gtSuffix)) };
}

async function main(): Promise<void> {
  const [which = 'deepliif,paired,bcdata,ki67', ...kv] = process.argv.slice(2);
  const options: Record<string, unknown> = {};
  let pixelSize = 0;
  let modelDir = '';
  let only: string[] = [];
  for (const a of kv) {
    const [k, v] = a.split('=');
    if (k === 'px') {
      pixelSize = Number(v);
      continue;
    }
    if (k === 'model') {
      modelDir = v;
      continue;
    }
    if (k === 'images') {
      only = v.split(',');
      continue;
    }
    options[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'restain-dev-eval-'));
  const paired = { inputs: [] as string[], gts: [] as string[] };
  for (const name of ['Lung1', 'Bladder1']) {
    const src = path.join(DATA, 'deepliif-sample/paired', `${name}.png`);
    await mkdir(path.join(work, 'pi'), { recursive: true });
    await mkdir(path.join(work, 'pg'), { recursive: true });
    await sharp(src).extract({ left: 0, top: 0, width: 512, height: 512 }).png().toFile(path.join(work, 'pi', `${name}.png`));
    await sharp(src).extract({ left: 2560, top: 0, width: 512, height: 512 }).png().toFile(path.join(work, 'pg', `${name}.png`));
    paired.inputs.push(path.join(work, 'pi', `${name}.png`));
    paired.gts.push(path.join(work, 'pg', `${name}.png`));
  }
  const forty: ScaleSpec = { kind: 'magnification', magnification: '40x' };
  const sets: DevSet[] = [
    { name: 'deepliif', ...(await list(path.join(DATA, 'deepliif-sample/test-ihc'), '.png', path.join(DATA, 'deepliif-sample/test-groundtruth'), '.png')), scale: forty, options: { ignoreUnannotated: 0.5, sizeThresh: 0 } },
    { name: 'paired', ...paired, scale: forty, options: {} },
    { name: 'bcdata', ...(await list(path.join(DATA, 'bcdata-sample'), '.png', path.join(DATA, 'bcdata-sample'), '.points.json')), scale: { kind: 'auto' }, options: { radiusPx: 10 } },
    { name: 'ki67', ...(await list(path.join(DATA, 'ki67-outlines'), '.jpg', path.join(DATA, 'ki67-outlines'), '.cells.json')), scale: { kind: 'auto' }, options: {} },
  ];
  const engine = modelDir ? await createEngine({ kind: 'nuclei', modelDir, device: 'cpu', intraOpThreads: 1 }) : createBuiltinEngine(options);
  for (const set of sets.filter((s) => which.split(',').includes(s.name))) {
    if (only.length > 0) {
      const keep = set.inputs.map((input) => only.includes(path.parse(input).name));
      set.inputs = set.inputs.filter((_, i) => keep[i]);
      set.gts = set.gts.filter((_, i) => keep[i]);
      if (set.inputs.length === 0) continue;
    }
    const pred = path.join(work, set.name, 'pred');
    const gtDir = path.join(work, set.name, 'gt');
    await mkdir(gtDir, { recursive: true });
    const scales: string[] = [];
    for (const [i, input] of set.inputs.entries()) {
      const stem = path.parse(input).name;
      const r = await analyzeImage({ inputPath: input, outDir: path.join(pred, stem), options: { ...DEFAULT_ANALYZE_OPTIONS, scale: pixelSize && set.scale.kind === 'auto' ? { kind: 'pixelSize', pixelSizeMicrons: pixelSize } : set.scale }, engine, concurrency: 1 });
      scales.push(((r.manifest.scale as { pixelSizeMicrons: number }).pixelSizeMicrons).toFixed(3));
      await symlink(set.gts[i], path.join(gtDir, stem + path.basename(set.gts[i]).slice(stem.length)));
    }
    const report = await evaluateDirectories(pred, gtDir, set.options);
    const f = (v: unknown, d: number): string => (typeof v === 'number' ? v.toFixed(d) : String(v));
    const rows = report.images.map((im) => ({ image: im.name, ...(im.metrics as unknown as Record<string, unknown>) }));
    const mean = report.summaries[0].mean as unknown as Record<string, unknown>;
    rows.push({ image: 'MEAN', ...mean });
    for (const row of rows as Array<Record<string, unknown>>) {
      console.log(`${set.name.padEnd(9)} ${String(row.image).padEnd(14)} gt ${f(row.n_gt, 0).padStart(4)} pred ${f(row.n_pred, 0).padStart(4)} P ${f(row.precision, 3)} R ${f(row.recall, 3)} F1 ${f(row.f1, 3)} ki67 ${f(row.ki67_gt, 1)}/${f(row.ki67_pred, 1)} err ${f(row.ki67_abs_err, 1)}`);
    }
    console.log(`  scales ${scales.join(' ')}`);
  }
  console.log(`kept in ${work}`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
