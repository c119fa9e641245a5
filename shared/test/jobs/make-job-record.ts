import { randomUUID } from 'node:crypto';
import type { JobRecord } from '../../src/jobs/job-record';
import { DEFAULT_POSTPROCESS_OPTIONS } from '../../src/postprocess/postprocess-options';

/** A valid job record in state `created` (override any field). */
export function makeJobRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  const at = overrides.createdAt ?? '2025-01-01T00:00:00.000Z';
  return {
    id: randomUUID(),
    owner: 'local',
    source: 'jobs-api',
    state: 'created',
    options: { scale: { kind: 'auto' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 },
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    results: [],
    ...overrides,
  };
}
