import { RestainError } from '../errors';

/** The body of a queue message: which job to run. Everything else is on the job record. */
export interface JobMessage {
  readonly jobId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a UUIDv4 in canonical lower-case form (the only job id shape). */
export function isJobId(text: string): boolean {
  return UUID.test(text);
}

export function encodeJobMessage(message: JobMessage): string {
  return JSON.stringify({ jobId: message.jobId });
}

/** Parses a queue message body; INVALID_ARGUMENT for anything that is not `{"jobId": <uuid>}`. */
export function decodeJobMessage(body: string): JobMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a JSON job message but received ${JSON.stringify(body.slice(0, 80))}`);
  }
  const jobId = (parsed as { jobId?: unknown })?.jobId;
  if (typeof jobId !== 'string' || !isJobId(jobId)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a job message with a UUID jobId but received ${JSON.stringify(body.slice(0, 80))}`);
  }
  return { jobId };
}
