import { type JobRecord, type ResultVersion, type ResultView, RestainError } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { describeThresholds } from '../api/job-parameters';
import { readJson } from '../objects/stored-json';
import { jobUrl } from './job-view';

export type { ResultView };

const MAX_MANIFEST_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  json: 'application/json',
  geojson: 'application/geo+json',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** Content type of a result file by its extension (result names are ours, never the user's). */
export function contentTypeForFile(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/**
 * The result version a request asks for (`?version=n`, default the current one): CONFLICT
 * while the job has not succeeded, INVALID_ARGUMENT for a malformed number, NOT_FOUND for none.
 */
export function selectResultVersion(record: JobRecord, versionParam: string | null): ResultVersion {
  if (record.state !== 'succeeded' || record.results.length === 0) {
    throw new RestainError('CONFLICT', `Job ${record.id} is ${record.state}: results exist only once it has succeeded`);
  }
  if (versionParam === null) return record.results[record.results.length - 1];
  if (!/^\d{1,6}$/.test(versionParam)) throw new RestainError('INVALID_ARGUMENT', `Expected a whole number for version but received ${JSON.stringify(versionParam)}`);
  const found = record.results.find((result) => result.version === Number(versionParam));
  if (!found) throw new RestainError('NOT_FOUND', `Job ${record.id} has result versions 1 to ${record.results.length}, not ${versionParam}`);
  return found;
}

async function readManifest(context: AppContext, version: ResultVersion): Promise<unknown> {
  return (await readJson<unknown>(context.objects, `${version.prefix}manifest.json`, MAX_MANIFEST_BYTES))?.value ?? null;
}

/** What GET /api/jobs/{jobId}/results answers for one version: manifest, scoring and file links. */
export async function resultView(context: AppContext, record: JobRecord, version: ResultVersion): Promise<ResultView> {
  const base = jobUrl(context, record.id);
  const query = `?version=${version.version}`;
  return {
    jobId: record.id,
    version: version.version,
    versions: record.results.map((result) => result.version),
    createdAt: version.createdAt,
    parameters: describeThresholds(version.postprocess),
    scoring: version.scoring,
    manifest: await readManifest(context, version),
    files: version.files.map((name) => ({
      name,
      contentType: contentTypeForFile(name),
      url: `${base}/files/${encodeURIComponent(name)}${query}`,
    })),
    zipUrl: `${base}/results.zip${query}`,
  };
}
