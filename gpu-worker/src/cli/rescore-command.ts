import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type PostprocessOptions, RestainError } from '@restain/shared';
import { DEFAULT_MAX_PIXELS } from '../analysis/analyze-options';
import { OUTPUT_FILES } from '../analysis/channel-files';
import { postprocessResult, resultFolderMaps } from '../analysis/postprocess-result';
import { ResultStaging } from '../analysis/result-staging';
import { StageTimer } from '../analysis/stage-timer';
import { THRESHOLD_FLAG_SPEC, parseThresholds } from './parse-options';
import { formatScoreLine } from './output-names';

export const RESCORE_USAGE = `restain rescore <result-dir> [--seg-thresh N] [--size-thresh auto|N] [--size-thresh-upper none|N] [--size-thresh-relative F] [--marker-thresh none|auto|N]
  re-scores an analysis result with new thresholds without re-running the engine`;

interface ResultManifest {
  parameters: { postprocess: PostprocessOptions } & Record<string, unknown>;
  timingsMs: Record<string, number>;
  [key: string]: unknown;
}

async function readManifest(resultDir: string): Promise<ResultManifest> {
  const file = path.join(resultDir, OUTPUT_FILES.manifest);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new RestainError('INPUT_NOT_FOUND', `${resultDir} is not a Restain result: ${OUTPUT_FILES.manifest} is missing`);
  }
  try {
    const manifest = JSON.parse(text) as ResultManifest;
    if (typeof manifest?.parameters?.postprocess !== 'object') throw new Error('no parameters.postprocess');
    return manifest;
  } catch (error) {
    throw new RestainError('INVALID_ARGUMENT', `${file} is not a valid result manifest: ${(error as Error).message}`);
  }
}

/** `restain rescore`: new thresholds over an existing result, written in place atomically. */
export async function runRescore(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...THRESHOLD_FLAG_SPEC } });
  if (positionals.length !== 1) throw new RestainError('INVALID_ARGUMENT', 'Expected one result folder: restain rescore <result-dir> [thresholds]');
  const resultDir = positionals[0];
  const manifest = await readManifest(resultDir);
  const postprocess = parseThresholds(values, manifest.parameters.postprocess);
  // The result's own maps: as large as the image the analysis accepted.
  const maxPixels = Number(manifest.parameters.maxPixels) || DEFAULT_MAX_PIXELS;
  const staging = await ResultStaging.create(resultDir);
  try {
    const timer = new StageTimer();
    const summary = await timer.time('postprocess', () => postprocessResult(resultFolderMaps(resultDir, maxPixels), staging.dir, postprocess));
    const updated = {
      ...manifest,
      parameters: { ...manifest.parameters, postprocess },
      timingsMs: { ...manifest.timingsMs, rescore: timer.toJSON().postprocess },
      rescoredAt: new Date().toISOString(),
    };
    await writeFile(staging.file(OUTPUT_FILES.manifest), `${JSON.stringify(updated, null, 2)}\n`);
    await staging.publish();
    process.stdout.write(`${formatScoreLine(path.basename(path.resolve(resultDir)), summary.scoring)}\n`);
    return 0;
  } catch (error) {
    await staging.discard();
    throw error;
  }
}
