import type { OperationDoc, QueryParameterDoc } from '../route-spec';
import { ref } from './schemas';

const JOB_ID = { jobId: 'The job id (UUID)' };
const VERSION_QUERY: QueryParameterDoc = { name: 'version', description: 'Result version (default: the latest)', schema: { type: 'integer', minimum: 1 } };
const json = (schema: Record<string, unknown>) => ({ 'application/json': schema });

export const CREATE_JOB_DOC: OperationDoc = {
  operationId: 'createJob',
  summary: 'Create a job',
  description:
    'multipart/form-data with the image in field `file` creates, validates and queues the job at once. ' +
    'application/json creates the job and answers a signed, expiring URL to PUT the image bytes to (create-then-upload).',
  tags: ['Jobs'],
  requestBody: { 'multipart/form-data': ref('JobUpload'), 'application/json': ref('CreateForUpload') },
  responses: {
    '201': { description: 'The job (multipart) or the job and its upload URL (JSON)', content: json({ oneOf: [ref('JobAnswer'), ref('UploadTicket')] }) },
  },
  errors: [400, 413, 415, 422],
};

export const LIST_JOBS_DOC: OperationDoc = {
  operationId: 'listJobs',
  summary: "List the caller's jobs, newest first",
  tags: ['Jobs'],
  query: [
    { name: 'limit', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    { name: 'cursor', description: 'nextCursor of the previous page', schema: { type: 'string' } },
  ],
  responses: { '200': { description: 'One page of jobs', content: json(ref('JobPage')) } },
  errors: [400],
};

export const GET_JOB_DOC: OperationDoc = {
  operationId: 'getJob',
  summary: 'Job status: state, progress in tiles, timestamps, error, queue position',
  tags: ['Jobs'],
  pathParameters: JOB_ID,
  responses: { '200': { description: 'The job', content: json(ref('JobAnswer')) } },
  errors: [404],
};

export const GET_RESULTS_DOC: OperationDoc = {
  operationId: 'getResults',
  summary: 'Results of a succeeded job: manifest, scoring and file links',
  tags: ['Results'],
  pathParameters: JOB_ID,
  query: [VERSION_QUERY],
  responses: { '200': { description: 'One result version', content: json(ref('Results')) } },
  errors: [400, 404, 409],
};

export const GET_RESULT_FILE_DOC: OperationDoc = {
  operationId: 'getResultFile',
  summary: 'Download one result file',
  tags: ['Results'],
  pathParameters: { ...JOB_ID, name: 'A file name listed in the results (e.g. SegRefined.png, scoring.json)' },
  query: [VERSION_QUERY],
  responses: {
    '200': {
      description: 'The file',
      content: { 'image/png': { type: 'string', contentMediaType: 'image/png' }, 'application/json': {}, 'application/geo+json': {}, 'text/csv': { type: 'string' } },
    },
  },
  errors: [400, 404, 409],
};

export const GET_RESULTS_ZIP_DOC: OperationDoc = {
  operationId: 'getResultsZip',
  summary: 'Download every file of a result version as a ZIP',
  tags: ['Results'],
  pathParameters: JOB_ID,
  query: [VERSION_QUERY],
  responses: { '200': { description: 'A ZIP archive, streamed', content: { 'application/zip': { type: 'string', contentMediaType: 'application/zip' } } } },
  errors: [400, 404, 409],
};

export const RESCORE_JOB_DOC: OperationDoc = {
  operationId: 'rescoreJob',
  summary: 'Re-score with new thresholds (no re-inference); publishes the next result version',
  description: 'Thresholds left out keep the value of the current version.',
  tags: ['Results'],
  pathParameters: JOB_ID,
  requestBody: json(ref('Thresholds')),
  responses: { '201': { description: 'The new result version', content: json({ type: 'object', required: ['version'], properties: { version: ref('Results') } }) } },
  errors: [400, 404, 409, 415],
};

export const DELETE_JOB_DOC: OperationDoc = {
  operationId: 'deleteJob',
  summary: 'Delete a job and all its files',
  tags: ['Jobs'],
  pathParameters: JOB_ID,
  responses: { '204': { description: 'Deleted' } },
  errors: [404],
};

export const ADD_FEEDBACK_DOC: OperationDoc = {
  operationId: 'addJobFeedback',
  summary: 'Leave a note about the result (kept on the job)',
  tags: ['Jobs'],
  pathParameters: JOB_ID,
  requestBody: json({ type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } } }),
  responses: {
    '201': {
      description: 'The stored note',
      content: json({ type: 'object', properties: { feedback: { type: 'object', properties: { text: { type: 'string' }, createdAt: { type: 'string' } } } } }),
    },
  },
  errors: [400, 404, 409, 415],
};

export const GET_CONFIG_DOC: OperationDoc = {
  operationId: 'getConfig',
  summary: 'Public limits and defaults: pixel limits, upload size, resolutions, thresholds',
  tags: ['Platform'],
  responses: { '200': { description: 'Limits and defaults', content: json({ type: 'object' }) } },
  errors: [],
};

export const GET_HEALTH_DOC: OperationDoc = {
  operationId: 'getHealth',
  summary: 'Liveness: the job store and queue answer',
  tags: ['Platform'],
  responses: { '200': { description: 'Healthy', content: json({ type: 'object', properties: { status: { const: 'ok' } } }) } },
  errors: [503],
};

export const GET_OPENAPI_DOC: OperationDoc = {
  operationId: 'getOpenApi',
  summary: 'This OpenAPI 3.1 document',
  tags: ['Platform'],
  responses: { '200': { description: 'The document', content: json({ type: 'object' }) } },
  errors: [],
};
