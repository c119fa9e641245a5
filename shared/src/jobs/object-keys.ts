/**
 * Where things live in the object store, in both homes (a local folder or one S3 bucket).
 * uploads/ and inbox/ are where untrusted bytes land; inputs/ and results/ only ever hold what
 * the platform validated or produced.
 */
export const OBJECT_PREFIXES = {
  uploads: 'uploads/',
  inputs: 'inputs/',
  results: 'results/',
  inbox: 'inbox/',
  outbox: 'outbox/',
  /** Model folders (manifest.json + model.onnx files) the workers fetch at start. */
  models: 'models/',
} as const;

/** Raw bytes of a create-then-upload job, before validation. */
export function uploadKey(jobId: string): string {
  return `${OBJECT_PREFIXES.uploads}${jobId}`;
}

/** The validated, metadata-free input image (always PNG). */
export function inputKey(jobId: string): string {
  return `${OBJECT_PREFIXES.inputs}${jobId}/input.png`;
}

/** Prefix of one result version's files (written once, manifest.json last). */
export function resultPrefix(jobId: string, version: number): string {
  return `${OBJECT_PREFIXES.results}${jobId}/v${version}/`;
}

/** Prefix of every result version of a job (for deletion). */
export function jobResultsPrefix(jobId: string): string {
  return `${OBJECT_PREFIXES.results}${jobId}/`;
}

/** Drop folder: results of inbox/<dropPath> go to outbox/<dropPath>/. */
export function outboxPrefix(dropPath: string): string {
  return `${OBJECT_PREFIXES.outbox}${dropPath}/`;
}
