import { type FleetFigures, type PlatformStatus, RestainError } from '@restain/shared';
import { json } from '../http-types';
import type { OperationDoc, RouteSpec } from '../route-spec';
import type { RouteHandler } from '../route-types';

/** Running jobs are counted up to this many (a page of the state index); the answer says when it capped. */
export const STATUS_RUNNING_JOBS_LIMIT = 1000;

/**
 * GET /api/status: queue depth, running jobs and workers (ECS DescribeServices on AWS, the worker
 * pool locally). A failing fleet lookup does not fail the answer: the queue figures still matter.
 */
export const getStatusRoute: RouteHandler = async (_request, context) => {
  let depth;
  let running;
  try {
    [depth, running] = await Promise.all([context.queue.depth(), context.jobs.listByState('running', { limit: STATUS_RUNNING_JOBS_LIMIT })]);
  } catch (error) {
    throw new RestainError('UNAVAILABLE', `Expected the job queue and job store to answer but they failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let workers: FleetFigures | null = null;
  let workersError: string | undefined;
  if (context.fleet) {
    try {
      workers = await context.fleet.describe();
    } catch (error) {
      workersError = `The worker fleet did not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const status: PlatformStatus = {
    time: context.now().toISOString(),
    queue: { visible: depth.visible, inFlight: depth.inFlight, delayed: depth.delayed },
    jobs: { running: running.length, runningCapped: running.length >= STATUS_RUNNING_JOBS_LIMIT },
    workers,
    ...(workersError ? { workersError } : {}),
  };
  return json(200, status);
};

const count = { type: 'integer', minimum: 0 };

/** OpenAPI description of GET /api/status. */
export const GET_STATUS_DOC: OperationDoc = {
  operationId: 'getStatus',
  summary: 'Queue depth, running jobs and analysis workers',
  description: 'Workers come from ECS DescribeServices on AWS and from the worker pool on one machine; null when unknown (workersError says why).',
  tags: ['Platform'],
  responses: {
    '200': {
      description: 'Platform status',
      content: {
        'application/json': {
          type: 'object',
          required: ['time', 'queue', 'jobs', 'workers'],
          properties: {
            time: { type: 'string', format: 'date-time' },
            queue: { type: 'object', properties: { visible: count, inFlight: count, delayed: count } },
            jobs: { type: 'object', properties: { running: count, runningCapped: { type: 'boolean' } } },
            workers: {
              oneOf: [{ type: 'null' }, { type: 'object', properties: { desiredWorkers: count, runningWorkers: count, pendingWorkers: count } }],
            },
            workersError: { type: 'string' },
          },
        },
      },
    },
  },
  errors: [503],
};

/** The route-table entry of GET /api/status (any key holder: it is rate-limited like the jobs API). */
export const STATUS_ROUTE: RouteSpec = { method: 'GET', path: '/api/status', access: 'jobs', handler: getStatusRoute, doc: GET_STATUS_DOC };
