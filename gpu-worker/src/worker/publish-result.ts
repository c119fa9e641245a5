import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type ObjectStore,
  type PostprocessOptions,
  type ResultVersion,
  type Scoring,
  RestainError,
  collectBytes,
  isRestainError,
  jobResultsPrefix,
  resultPrefix,
} from '@restain/shared';
import { OUTPUT_FILES } from '../analysis/channel-files';

const MANIFEST = OUTPUT_FILES.manifest;

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.csv': 'text/csv',
};

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
}


async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk);
  return hash.digest('hex');
}

async function readJson(objects: ObjectStore, key: string): Promise<unknown> {
  const object = await objects.get(key);
  if (!object) throw new RestainError('NOT_FOUND', `Expected ${key} in the object store but it is absent`);
  return JSON.parse(new TextDecoder().decode(await collectBytes(object.body)));
}

async function listNames(objects: ObjectStore, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter });
    names.push(...page.objects.map((object) => object.key.slice(prefix.length)));
    startAfter = page.nextStartAfter;
  } while (startAfter);
  return names;
}

/**
 * The result version `version` of a job as published (its manifest is present), read back from
 * the store; undefined when it was never completed. A retry uses it to finish a job whose files
 * were published by an attempt that died before marking the job.
 */
export async function readPublishedVersion(objects: ObjectStore, jobId: string, version: number): Promise<ResultVersion | undefined> {
  const prefix = resultPrefix(jobId, version);
  if (!(await objects.head(`${prefix}${MANIFEST}`))) return undefined;
  const manifest = (await readJson(objects, `${prefix}${MANIFEST}`)) as { createdAt?: string; parameters?: { postprocess?: PostprocessOptions } };
  if (!manifest.parameters?.postprocess || typeof manifest.createdAt !== 'string') {
    throw new RestainError('OUTPUT_FAILED', `Expected createdAt and parameters.postprocess in ${prefix}${MANIFEST} but they are missing`);
  }
  const scoring = (await readJson(objects, `${prefix}${OUTPUT_FILES.scoring}`)) as Scoring;
  const files = (await listNames(objects, prefix)).sort();
  return { version, prefix, createdAt: manifest.createdAt, postprocess: manifest.parameters.postprocess, scoring, files };
}

/**
 * Write one file create-only. When the key exists (an earlier attempt wrote it), identical bytes
 * are fine; for different bytes (a non-deterministic engine) the existing etag is returned so
 * the caller can replace it while the version is unpublished.
 */
async function putOnce(objects: ObjectStore, key: string, file: string): Promise<{ readonly differingEtag?: string }> {
  const contentType = contentTypeOf(key);
  try {
    await objects.put(key, createReadStream(file), { ifNoneMatch: '*', contentType });
    return {};
  } catch (error) {
    if (!(isRestainError(error) && error.code === 'PRECONDITION_FAILED')) throw error;
  }
  const existing = await objects.get(key);
  if (!existing) {
    // Removed in between (a job deletion racing this attempt): one more create-only try.
    await objects.put(key, createReadStream(file), { ifNoneMatch: '*', contentType });
    return {};
  }
  const [theirs, ours] = await Promise.all([sha256Of(existing.body), sha256Of(createReadStream(file))]);
  return theirs === ours ? {} : { differingEtag: existing.info.etag };
}

/**
 * Publish an analysis' output folder as result version 1 of a job: every file create-only,
 * manifest.json last, so the version becomes visible whole or not at all. When another attempt
 * completed it first, its version is returned instead (never a second result).
 */
export async function publishResult(
  objects: ObjectStore,
  jobId: string,
  outDir: string,
  analysis: { readonly scoring: Scoring; readonly createdAt: string; readonly postprocess: PostprocessOptions },
): Promise<{ readonly result: ResultVersion; readonly adopted: boolean }> {
  const version = 1;
  const prefix = resultPrefix(jobId, version);
  const adopt = async () => {
    const published = await readPublishedVersion(objects, jobId, version);
    return published ? { result: published, adopted: true } : undefined;
  };
  const names = (await readdir(outDir)).filter((name) => !name.startsWith('.')).sort();
  if (!names.includes(MANIFEST)) throw new RestainError('OUTPUT_FAILED', `Expected ${MANIFEST} in the analysis output but found ${names.join(', ')}`);
  // Another attempt may have finished while this one analysed.
  const early = await adopt();
  if (early) return early;
  for (const name of names) {
    if (name === MANIFEST) continue;
    const { differingEtag } = await putOnce(objects, `${prefix}${name}`, path.join(outDir, name));
    if (differingEtag === undefined) continue;
    // Readers cannot see an unpublished version, so its files may still be replaced; a published one stays.
    const done = await adopt();
    if (done) return done;
    await objects.put(`${prefix}${name}`, createReadStream(path.join(outDir, name)), { ifMatch: differingEtag, contentType: contentTypeOf(name) });
  }
  try {
    await objects.put(`${prefix}${MANIFEST}`, createReadStream(path.join(outDir, MANIFEST)), { ifNoneMatch: '*', contentType: contentTypeOf(MANIFEST) });
  } catch (error) {
    if (!(isRestainError(error) && error.code === 'PRECONDITION_FAILED')) throw error;
    const done = await adopt();
    if (done) return done;
    throw error;
  }
  return { result: { version, prefix, ...analysis, files: names }, adopted: false };
}

/** Remove every result object of a job (results published for a job deleted meanwhile). */
export async function removeResults(objects: ObjectStore, jobId: string): Promise<number> {
  const prefix = jobResultsPrefix(jobId);
  const names = await listNames(objects, prefix);
  for (const name of names) await objects.delete(`${prefix}${name}`);
  return names.length;
}
