import * as deepliifDocs from '../openapi/deepliif-operations';
import * as docs from '../openapi/jobs-operations';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import type { RouteSpec } from '../route-spec';
import type { RouteHandler } from '../route-types';
import { deepliifBatchInfer, deepliifBatchStatus } from './deepliif-batch';
import { deepliifInfer } from './deepliif-infer';
import { deepliifPostprocess } from './deepliif-postprocess';
import { createJobRoute } from './jobs-create';
import { addFeedbackRoute, deleteJobRoute, rescoreJobRoute } from './jobs-change';
import { getJobRoute, listJobsRoute } from './jobs-read';
import { getResultFileRoute, getResultsRoute, getResultsZipRoute } from './jobs-results';
import { getConfigRoute, getHealthRoute } from './platform-info';
import { STATUS_ROUTE } from './status-route';

/** Serialised documents by server URL (one per deployment in practice). */
const openApiDocuments = new Map<string, string>();

/** GET /api/openapi.json: the document of API_ROUTES, built once per server URL. */
const getOpenApiRoute: RouteHandler = async (_request, context) => {
  const serverUrl = context.config.publicBaseUrl;
  let document = openApiDocuments.get(serverUrl);
  if (document === undefined) {
    document = JSON.stringify(buildOpenApiDocument(API_ROUTES, serverUrl));
    openApiDocuments.set(serverUrl, document);
  }
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: document };
};

/** Every route of the API: the router and the OpenAPI document are both built from this table. */
export const API_ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/api/jobs', access: 'jobs', handler: createJobRoute, doc: docs.CREATE_JOB_DOC },
  { method: 'GET', path: '/api/jobs', access: 'jobs', handler: listJobsRoute, doc: docs.LIST_JOBS_DOC },
  { method: 'GET', path: '/api/jobs/{jobId}', access: 'jobs', handler: getJobRoute, doc: docs.GET_JOB_DOC },
  { method: 'DELETE', path: '/api/jobs/{jobId}', access: 'jobs', handler: deleteJobRoute, doc: docs.DELETE_JOB_DOC },
  { method: 'GET', path: '/api/jobs/{jobId}/results', access: 'jobs', handler: getResultsRoute, doc: docs.GET_RESULTS_DOC },
  { method: 'GET', path: '/api/jobs/{jobId}/results.zip', access: 'jobs', handler: getResultsZipRoute, doc: docs.GET_RESULTS_ZIP_DOC },
  { method: 'GET', path: '/api/jobs/{jobId}/files/{name}', access: 'jobs', handler: getResultFileRoute, doc: docs.GET_RESULT_FILE_DOC },
  { method: 'POST', path: '/api/jobs/{jobId}/rescore', access: 'jobs', handler: rescoreJobRoute, doc: docs.RESCORE_JOB_DOC },
  { method: 'POST', path: '/api/jobs/{jobId}/feedback', access: 'jobs', handler: addFeedbackRoute, doc: docs.ADD_FEEDBACK_DOC },
  { method: 'POST', path: '/api/infer', access: 'deepliif', handler: deepliifInfer, doc: deepliifDocs.DEEPLIIF_INFER_DOC },
  { method: 'POST', path: '/api/batch/infer', access: 'deepliif', handler: deepliifBatchInfer, doc: deepliifDocs.DEEPLIIF_BATCH_INFER_DOC },
  { method: 'GET', path: '/api/batch/infer/{task_id}', access: 'deepliif', handler: deepliifBatchStatus, doc: deepliifDocs.DEEPLIIF_BATCH_STATUS_DOC },
  { method: 'POST', path: '/api/postprocess', access: 'deepliif', handler: deepliifPostprocess, doc: deepliifDocs.DEEPLIIF_POSTPROCESS_DOC },
  { method: 'GET', path: '/api/config', access: 'public', handler: getConfigRoute, doc: docs.GET_CONFIG_DOC },
  { method: 'GET', path: '/api/health', access: 'public', handler: getHealthRoute, doc: docs.GET_HEALTH_DOC },
  STATUS_ROUTE,
  { method: 'GET', path: '/api/openapi.json', access: 'public', handler: getOpenApiRoute, doc: docs.GET_OPENAPI_DOC },
];
