import { RestainError, uploadKey } from '@restain/shared';
import { acceptUpload } from '../../jobs/accept-upload';
import { createJob } from '../../jobs/create-job';
import { describeJob, jobView } from '../../jobs/job-view';
import { readMultipart } from '../../uploads/read-multipart';
import { sanitizeDisplayName } from '../../uploads/sanitize-display-name';
import type { AppContext } from '../app-context';
import { type ApiRequest, type ApiResponse, json } from '../http-types';
import { JOB_PARAMETER_FIELDS, parseJobParameters } from '../job-parameters';
import { mediaType, readJsonObject, rejectUnknownFields } from '../read-body';
import type { Principal, RouteHandler } from '../route-types';

/** Form fields besides the file: the analysis parameters, nothing else. */
const MULTIPART_LIMITS = { maxFiles: 1, maxFields: JOB_PARAMETER_FIELDS.length, maxParts: JOB_PARAMETER_FIELDS.length + 1 };

/** Multipart: the image comes with the request; the job is created, validated and queued at once. */
async function createWithUpload(request: ApiRequest, context: AppContext, principal: Principal): Promise<ApiResponse> {
  const form = await readMultipart(request, { ...MULTIPART_LIMITS, maxFileBytes: context.config.maxUploadBytes, tempDir: context.config.tempDir });
  try {
    rejectUnknownFields({ ...form.fields, ...form.files }, ['file', ...JOB_PARAMETER_FIELDS]);
    const file = form.files.file;
    if (!file) throw new RestainError('INVALID_ARGUMENT', 'Expected the image in a multipart file field named "file" but received none');
    const options = parseJobParameters(form.fields);
    const created = await createJob(context, { owner: principal.owner, source: 'jobs-api', options, displayName: sanitizeDisplayName(file.filename) });
    const accepted = await acceptUpload(context, created.id, { path: file.path, displayName: file.filename }, { maxPixels: context.config.jobMaxPixels });
    return json(201, { job: await describeJob(context, accepted) }, { location: `/api/jobs/${accepted.id}` });
  } finally {
    await form.cleanup();
  }
}

/** JSON: create-then-upload; the answer carries a signed, expiring URL to PUT the image's bytes to. */
async function createForUpload(request: ApiRequest, context: AppContext, principal: Principal): Promise<ApiResponse> {
  const body = await readJsonObject(request);
  rejectUnknownFields(body, ['filename', ...JOB_PARAMETER_FIELDS]);
  if (body.filename !== undefined && typeof body.filename !== 'string') {
    throw new RestainError('INVALID_ARGUMENT', `Expected a string for filename but received ${JSON.stringify(body.filename)}`);
  }
  const options = parseJobParameters(body);
  const ttlSeconds = context.config.signedUrlTtlSeconds;
  const expiresAt = new Date(context.now().getTime() + ttlSeconds * 1000).toISOString();
  const displayName = body.filename === undefined ? undefined : sanitizeDisplayName(body.filename);
  const created = await createJob(context, { owner: principal.owner, source: 'jobs-api', options, displayName, uploadExpiresAt: expiresAt });
  const url = await context.objects.presignPut(uploadKey(created.id), { expiresInSeconds: ttlSeconds });
  return json(201, { job: jobView(context, created), upload: { url, method: 'PUT', expiresAt } }, { location: `/api/jobs/${created.id}` });
}

/** POST /api/jobs: multipart (image included) or JSON (create-then-upload); anything else 415. */
export const createJobRoute: RouteHandler = async (request, context, principal) => {
  const type = mediaType(request);
  if (type === 'multipart/form-data') return createWithUpload(request, context, principal);
  if (type === 'application/json') return createForUpload(request, context, principal);
  throw new RestainError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Expected Content-Type multipart/form-data (with the image) or application/json (create-then-upload) but received ${JSON.stringify(type || 'none')}`,
  );
};
