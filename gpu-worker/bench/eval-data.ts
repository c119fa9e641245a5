/**
 * `npm run eval:data -- [set] [--engine nuclei|builtin] [--keep]`: analyse the real data in ../shared/data with
 * the default engine (nuclei) or the built-in one (default options unless a set is known to be
 * 40x) and score it with `restain eval`'s code, printing the figures the acceptance criteria name.
 * Reads ../shared/data; says so when it is absent. Images the nucleus net was trained on are
 * flagged: their figures are not held out (docs/accuracy.md has the leave-out figures). The
 * result folders (~350 MB) are deleted at the end unless --keep is given.
 */
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ScaleSpec } from '@restain/shared';
import { analyzeImage } from '../src/analysis/analyze-image';
import { DEFAULT_ANALYZE_OPTIONS } from '../src/analysis/analyze-options';
import type { Engine, EngineSpec } from '../src/engines/engine';
import { defaultNucleusModelDir } from '../src/engines/nuclei/model-dir';
import { openThreadedEngine } from '../src/engines/threaded-engine';
import { type EvalReport, evaluateDirectories, formatEvalReport } from '../src/eval';
import { requireSharedData } from './shared-data';

interface EvalSet {
  readonly name: string;
  readonly inputs: string[];
  readonly gtFiles: string[];
  readonly scale: ScaleSpec;
  readonly options: { radiusPx?: number; ignoreUnannotated?: number; sizeThresh?: number };
}

async function splitPairedPanels(dataDir: string, workDir: string): Promise<{ inputs: string[]; gtFiles: string[] }> {
  const inputs: string[] = [];
  const gtFiles: string[] = [];
  for (const name of ['Lung1', 'Bladder1']) {
    const source = path.join(dataDir, 'deepliif-sample/paired', `${name}.png`);
    const input = path.join(workDir, 'paired-input', `${name}.png`);
    const gt = path.join(workDir, 'paired-gt', `${name}.png`);
    await mkdir(path.dirname(input), { recursive: true });
    await mkdir(path.dirname(gt), { recursive: true });
    await sharp(source).extract({ left: 0, top: 0, width: 512, height: 512 }).png().toFile(input);
    await sharp(source).extract({ left: 2560, top: 0, width: 512, height: 512 }).png().toFile(gt);
    inputs.push(input);
    gtFiles.push(gt);
  }
  return { inputs, gtFiles };
}

async function listSet(dir: string, imageExt: string, gtSuffix: string): Promise<{ inputs: string[]; gtFiles: string[] }> {
  const names = (await readdir(dir)).filter((file) => file.endsWith(imageExt)).map((file) => file.slice(0, -imageExt.length)).sort();
  return { inputs: names.map((n) => path.join(dir, n + imageExt)), gtFiles: names.map((n) => path.join(dir, n + gtSuffix)) };
}

async function evaluateSet(set: EvalSet, engine: Engine, workDir: string): Promise<EvalReport> {
  const predDir = path.join(workDir, set.name, 'pred');
  const gtDir = path.join(workDir, set.name, 'gt');
  await mkdir(gtDir, { recursive: true });
  for (const [index, input] of set.inputs.entries()) {
    const stem = path.parse(input).name;
    const started = performance.now();
    const result = await analyzeImage({
      inputPath: input,
      outDir: path.join(predDir, stem),
      options: { ...DEFAULT_ANALYZE_OPTIONS, scale: set.scale },
      engine,
      concurrency: 2,
    });
    const scale = result.manifest.scale as { pixelSizeMicrons: number };
    process.stderr.write(
      `  ${set.name}/${stem}: ${result.scoring.num_total} cells, ${result.scoring.percent_pos}% positive, ` +
        `${scale.pixelSizeMicrons.toFixed(3)} µm/px, ${Math.round(performance.now() - started)} ms\n`,
    );
    const gt = set.gtFiles[index];
    await symlink(gt, path.join(gtDir, stem + path.basename(gt).slice(stem.length)));
  }
  return evaluateDirectories(predDir, gtDir, set.options);
}

async function evaluateAll(dataDir: string, workDir: string, spec: EngineSpec, only: string | undefined): Promise<void> {
  const paired = await splitPairedPanels(dataDir, workDir);
  const sets: EvalSet[] = [
    {
      name: 'deepliif-test',
      ...(await listSet(path.join(dataDir, 'deepliif-sample/test-ihc'), '.png', '.png')),
      scale: { kind: 'magnification', magnification: '40x' },
      options: { ignoreUnannotated: 0.5, sizeThresh: 0 },
    },
    { name: 'deepliif-paired', ...paired, scale: { kind: 'magnification', magnification: '40x' }, options: {} },
    { name: 'bcdata-sample', ...(await listSet(path.join(dataDir, 'bcdata-sample'), '.png', '.points.json')), scale: { kind: 'auto' }, options: { radiusPx: 10 } },
    { name: 'ki67-outlines', ...(await listSet(path.join(dataDir, 'ki67-outlines'), '.jpg', '.cells.json')), scale: { kind: 'auto' }, options: {} },
  ];
  // The test tiles' truth lives in its own folder.
  sets[0].gtFiles.splice(0, sets[0].gtFiles.length, ...sets[0].inputs.map((input) => input.replace('test-ihc', 'test-groundtruth')));
  if (only !== undefined && !sets.some((s) => s.name === only)) throw new Error(`expected a set among ${sets.map((s) => s.name).join(', ')} but received "${only}"`);
  const engine = await openThreadedEngine(spec, { threads: 2 });
  process.stdout.write(`engine: ${engine.info.name} ${engine.info.version}\n`);
  // The nuclei engine records its net's training images among its parameters.
  const model = engine.info.parameters.model as { training?: { images?: string[] } | null } | undefined;
  const trainedOn = new Set(model?.training?.images ?? []);
  try {
    for (const set of sets.filter((s) => !only || s.name === only)) {
      process.stderr.write(`${set.name}:\n`);
      const report = await evaluateSet(set, engine, workDir);
      const seen = set.inputs.filter((input) => trainedOn.has(path.relative(dataDir, input)));
      const note = seen.length > 0 ? ` (${seen.length} of ${set.inputs.length} images are in the nucleus net's training set: not held out)` : '';
      process.stdout.write(`\n== ${set.name}${note} ==\n${formatEvalReport(report)}\n`);
    }
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const dataDir = requireSharedData();
  const args = process.argv.slice(2);
  const keepAt = args.indexOf('--keep');
  const keep = keepAt >= 0;
  if (keep) args.splice(keepAt, 1);
  const at = args.indexOf('--engine');
  const engineName = at >= 0 ? args.splice(at, 2)[1] : 'nuclei';
  if (engineName !== 'nuclei' && engineName !== 'builtin') throw new Error(`expected --engine nuclei or builtin but received "${engineName}"`);
  const only = args[0];
  const spec: EngineSpec = engineName === 'builtin' ? { kind: 'builtin' } : { kind: 'nuclei', modelDir: defaultNucleusModelDir(), device: 'cpu' };
  // Every image's full result (~350 MB in all): deleted at the end unless --keep.
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'restain-eval-'));
  try {
    await evaluateAll(dataDir, workDir, spec, only);
  } finally {
    if (!keep) await rm(workDir, { recursive: true, force: true });
  }
  process.stdout.write(keep ? `\nresults kept in ${workDir}\n` : '\nresult folders deleted (--keep keeps them)\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`eval-data: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
