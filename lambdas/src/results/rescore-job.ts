import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type JobRecord,
  type PostprocessOptions,
  type ResultVersion,
  RestainError,
  addResultVersion,
  currentResult,
  isRestainError,
  resultPrefix,
  updateJob,
  validatePostprocessOptions,
} from '@restain/shared';
import { DEFAULT_MAX_PIXELS, OUTPUT_FILES, channelFile, postprocessResult, resultFolderMaps } from '@restain/gpu-worker';
import type { AppContext } from '../api/app-context';
import { contentTypeForFile } from '../jobs/result-view';
import { copyObject, downloadObject, listAll, readObjectText, uploadFile } from './result-objects';

/** The maps resultFolderMaps reads: post-processing needs these and nothing else. */
const MAP_FILES = [channelFile('Seg'), channelFile('Marker'), OUTPUT_FILES.dab, OUTPUT_FILES.input] as const;
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** A version folder with no recorded version and no write for this long was abandoned (a crash). */
export const ABANDONED_VERSION_MS = 15 * 60 * 1000;

type Manifest = Record<string, unknown> & { parameters?: Record<string, unknown>; timingsMs?: Record<string, number> };

async function loadJob(context: AppContext, jobId: string): Promise<JobRecord> {
  const found = await context.jobs.get(jobId);
  if (!found || found.record.state === 'deleted') throw new RestainError('NOT_FOUND', `Job ${jobId} does not exist`);
  return found.record;
}

function publishConflict(job: JobRecord, version: number): RestainError {
  return new RestainError('CONFLICT', `Another re-score of job ${job.id} is publishing result version ${version}; try again when it has finished`);
}

/**
 * Make sure nobody is writing the version folder: empty, or left behind by a crashed re-score
 * long enough ago (then cleared). A folder being written now means CONFLICT.
 */
async function claimVersionFolder(context: AppContext, job: JobRecord, version: number, prefix: string): Promise<void> {
  // Recorded meanwhile by another re-score: its folder is a real version, never a leftover.
  const latest = await loadJob(context, job.id);
  if (latest.results.length >= version) throw publishConflict(job, version);
  const leftovers = await listAll(context.objects, prefix);
  if (leftovers.length === 0) return;
  const newest = Math.max(...leftovers.map((object) => object.lastModified.getTime()));
  if (context.now().getTime() - newest < ABANDONED_VERSION_MS) throw publishConflict(job, version);
  for (const object of leftovers) await context.objects.delete(object.key);
}

/**
 * Publish the new version's files create-only, manifest.json last (its presence marks a complete
 * version). Files post-processing rewrote come from `outDir`; the rest are copied from the
 * current version unchanged. A key someone else created first means a concurrent re-score won.
 */
async function publishVersion(context: AppContext, job: JobRecord, current: ResultVersion, prefix: string, version: number, outDir: string): Promise<string[]> {
  const produced = new Set(await readdir(outDir));
  const names = [...new Set([...current.files, ...produced])].sort((a, b) => Number(a === OUTPUT_FILES.manifest) - Number(b === OUTPUT_FILES.manifest) || a.localeCompare(b));
  try {
    for (const name of names) {
      const contentType = contentTypeForFile(name);
      if (produced.has(name)) await uploadFile(context.objects, `${prefix}${name}`, path.join(outDir, name), contentType);
      else await copyObject(context.objects, `${current.prefix}${name}`, `${prefix}${name}`, contentType);
    }
  } catch (error) {
    if (isRestainError(error) && error.code === 'PRECONDITION_FAILED') throw publishConflict(job, version);
    throw error;
  }
  return names;
}

/**
 * Re-score a succeeded job with new thresholds, without re-inference: the current version's Seg,
 * Marker, DAB and Input maps go through the same postprocessResult as the analysis, and a
 * complete new version is published at results/{jobId}/v{n+1}/ (unchanged channel files carried
 * over, changed ones new, manifest.json last, all create-only), then recorded on the job.
 * Concurrent re-scores of one job: one wins each version number, the other gets CONFLICT (409);
 * no version is ever mixed from two re-scores.
 */
export async function rescoreJob(context: AppContext, given: JobRecord, postprocess: PostprocessOptions): Promise<ResultVersion> {
  validatePostprocessOptions(postprocess);
  // The stored record, not the caller's copy: versions are numbered from what is recorded.
  const job = await loadJob(context, given.id);
  const current = currentResult(job);
  if (job.state !== 'succeeded' || !current) {
    throw new RestainError('CONFLICT', `Job ${job.id} is ${job.state}: only a succeeded job can be re-scored`);
  }
  const missing = MAP_FILES.filter((name) => !current.files.includes(name));
  if (missing.length > 0) throw new RestainError('CONFLICT', `Result version ${current.version} of job ${job.id} lacks ${missing.join(', ')}: it cannot be re-scored`);
  const version = job.results.length + 1;
  const prefix = resultPrefix(job.id, version);
  const workDir = await mkdtemp(path.join(context.config.tempDir, 'rescore-'));
  try {
    const mapsDir = path.join(workDir, 'maps');
    const outDir = path.join(workDir, 'out');
    await Promise.all([mkdir(mapsDir), mkdir(outDir)]);
    await Promise.all(MAP_FILES.map((name) => downloadObject(context.objects, `${current.prefix}${name}`, path.join(mapsDir, name))));
    const manifest = JSON.parse(await readObjectText(context.objects, `${current.prefix}${OUTPUT_FILES.manifest}`, MAX_MANIFEST_BYTES)) as Manifest;
    // The maps are as large as the image the analysis accepted.
    const maxPixels = Number(manifest.parameters?.maxPixels) || DEFAULT_MAX_PIXELS;
    const started = Date.now();
    const summary = await postprocessResult(resultFolderMaps(mapsDir, maxPixels), outDir, postprocess);
    const createdAt = context.now().toISOString();
    const updated: Manifest = {
      ...manifest,
      parameters: { ...manifest.parameters, postprocess },
      timingsMs: { ...manifest.timingsMs, rescore: Date.now() - started },
      rescoredFrom: current.version,
      rescoredAt: createdAt,
    };
    await writeFile(path.join(outDir, OUTPUT_FILES.manifest), `${JSON.stringify(updated, null, 2)}\n`);

    await claimVersionFolder(context, job, version, prefix);
    const files = await publishVersion(context, job, current, prefix, version, outDir);
    const result: ResultVersion = { version, prefix, createdAt, postprocess, scoring: summary.scoring, files };
    const stored = await updateJob(context.jobs, job.id, (latest) => addResultVersion(latest, result, context.now()));
    if (!stored) {
      // Deleted meanwhile: its files must not outlive it.
      for (const name of files) await context.objects.delete(`${prefix}${name}`);
      throw new RestainError('NOT_FOUND', `Job ${job.id} was deleted while it was being re-scored`);
    }
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
