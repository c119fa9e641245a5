import { RestainError } from '@restain/shared';
import { getOwnedJob } from '../../jobs/get-owned-job';
import { contentTypeForFile, resultView, selectResultVersion } from '../../jobs/result-view';
import { zipResultVersion } from '../../results/zip-results';
import { json } from '../http-types';
import type { RouteHandler } from '../route-types';

/** GET /api/jobs/{jobId}/results[?version=n]: manifest, scoring and file links of one version. */
export const getResultsRoute: RouteHandler = async (request, context, principal, params) => {
  const { record } = await getOwnedJob(context, principal, params.jobId);
  const version = selectResultVersion(record, request.query.get('version'));
  return json(200, await resultView(context, record, version));
};

/** GET /api/jobs/{jobId}/files/{name}[?version=n]: one result file, streamed. Only listed names exist. */
export const getResultFileRoute: RouteHandler = async (request, context, principal, params) => {
  const { record } = await getOwnedJob(context, principal, params.jobId);
  const version = selectResultVersion(record, request.query.get('version'));
  const name = params.name;
  // The version's own file list is the whole namespace: no path is ever built from user input.
  if (!version.files.includes(name)) {
    throw new RestainError('NOT_FOUND', `Expected one of ${version.files.join(', ')} but received ${JSON.stringify(name.slice(0, 100))}`);
  }
  const object = await context.objects.get(`${version.prefix}${name}`);
  if (!object) throw new RestainError('NOT_FOUND', `Result file ${name} of job ${record.id} version ${version.version} is missing`);
  return {
    status: 200,
    headers: {
      'content-type': contentTypeForFile(name),
      'content-length': String(object.info.sizeBytes),
      'content-disposition': `inline; filename="${name}"`,
      // Result versions are written once and never change: safe to cache privately.
      'cache-control': 'private, max-age=86400, immutable',
    },
    body: object.body,
  };
};

/** GET /api/jobs/{jobId}/results.zip[?version=n]: every file of one version as a streamed ZIP. */
export const getResultsZipRoute: RouteHandler = async (request, context, principal, params) => {
  const { record } = await getOwnedJob(context, principal, params.jobId);
  const version = selectResultVersion(record, request.query.get('version'));
  return {
    status: 200,
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="restain-${record.id}-v${version.version}.zip"`,
      'cache-control': 'private, no-cache',
    },
    body: zipResultVersion(context, version),
  };
};
