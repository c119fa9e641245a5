import type { OperationDoc, QueryParameterDoc } from '../route-spec';
import { ref } from './schemas';

/** DeepLIIF's query parameters of /api/infer and /api/batch/infer (nadeemlab/DeepLIIF's API). */
const INFER_QUERY: readonly QueryParameterDoc[] = [
  { name: 'resolution', description: 'Magnification of the image', schema: { enum: ['10x', '20x', '40x'], default: '40x' } },
  { name: 'pil', description: 'Accepted for compatibility (images are always returned base64-encoded)', schema: { type: 'string' } },
  { name: 'slim', description: 'Return only the SegRefined image', schema: { type: 'string' } },
  { name: 'nopost', description: 'Return only the inferred channels, no segmentation post-processing', schema: { type: 'string' } },
  { name: 'prob_thresh', description: 'Segmentation threshold 0-254', schema: { type: 'integer', minimum: 0, maximum: 254 } },
  { name: 'size_thresh', description: "Smallest cell area in px, or 'auto'", schema: { type: 'string' } },
  { name: 'size_thresh_upper', description: "Largest cell area in px, or 'none'", schema: { type: 'string' } },
  { name: 'marker_thresh', description: "Marker threshold 0-255, 'none' or 'auto'", schema: { type: 'string' } },
  { name: 'size_thresh_relative', description: 'Restain: cells under this fraction of the median cell area are not scored (default 0.35, 0: DeepLIIF rules)', schema: { type: 'number', minimum: 0, exclusiveMaximum: 1 } },
];

const UPLOAD_ERRORS = [400, 413, 415, 422];

export const DEEPLIIF_INFER_DOC: OperationDoc = {
  operationId: 'deepliifInfer',
  summary: 'DeepLIIF-compatible synchronous inference',
  description: 'Post the image as multipart field `img`; answers the inferred channels and scoring once the analysis is done.',
  tags: ['DeepLIIF-compatible'],
  query: INFER_QUERY,
  requestBody: { 'multipart/form-data': ref('DeepliifUpload') },
  responses: { '200': { description: 'Images (base64 PNG) and scoring', content: { 'application/json': ref('DeepliifResult') } } },
  errors: [...UPLOAD_ERRORS, 503],
};

export const DEEPLIIF_BATCH_INFER_DOC: OperationDoc = {
  operationId: 'deepliifBatchInfer',
  summary: 'DeepLIIF-compatible batch submission',
  description: 'Same request as /api/infer; answers a task id to poll at /api/batch/infer/{task_id}.',
  tags: ['DeepLIIF-compatible'],
  query: INFER_QUERY,
  requestBody: { 'multipart/form-data': ref('DeepliifUpload') },
  responses: { '200': { description: 'The task id', content: { 'application/json': ref('DeepliifTask') } } },
  errors: UPLOAD_ERRORS,
};

export const DEEPLIIF_BATCH_STATUS_DOC: OperationDoc = {
  operationId: 'deepliifBatchStatus',
  summary: 'DeepLIIF-compatible batch task status',
  description: 'Celery-style state; `result` has the /api/infer shape once SUCCESS.',
  tags: ['DeepLIIF-compatible'],
  pathParameters: { task_id: 'The task id /api/batch/infer answered' },
  responses: { '200': { description: 'State and, when done, the result', content: { 'application/json': ref('DeepliifTaskStatus') } } },
  errors: [404],
};

export const DEEPLIIF_POSTPROCESS_DOC: OperationDoc = {
  operationId: 'deepliifPostprocess',
  summary: 'DeepLIIF-compatible re-scoring of an existing segmentation',
  description: 'Post `img`, `seg_img` and optionally `marker_img` with thresholds; answers the /api/infer shape.',
  tags: ['DeepLIIF-compatible'],
  query: INFER_QUERY.filter((query) => query.name !== 'pil' && query.name !== 'slim' && query.name !== 'nopost'),
  requestBody: { 'multipart/form-data': ref('DeepliifPostprocessUpload') },
  responses: { '200': { description: 'Re-scored images and scoring', content: { 'application/json': ref('DeepliifResult') } } },
  errors: UPLOAD_ERRORS,
};
