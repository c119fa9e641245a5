import sharp from 'sharp';
import { DEFAULT_POSTPROCESS_OPTIONS, type JobOptions, type JobRecord, generateSyntheticIhc } from '@restain/shared';
import type { ApiConfig, AppContext } from '../../src/api/app-context';
import { createJob } from '../../src/jobs/create-job';
import { type TestContext, makeTestContext } from '../support/make-test-context';

/** A context on the real local adapters in a fresh temporary folder (the shared test helper); `close` removes it all. */
export type LocalTestContext = TestContext;

export function makeLocalContext(config: Partial<ApiConfig> = {}): LocalTestContext {
  return makeTestContext({ config });
}

export const TEST_JOB_OPTIONS: JobOptions = { scale: { kind: 'magnification', magnification: '40x' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 };

/** A new `created` job of the local user. */
export function newJob(context: AppContext, options: JobOptions = TEST_JOB_OPTIONS): Promise<JobRecord> {
  return createJob(context, { owner: 'local', source: 'jobs-api', options });
}

/** A small synthetic IHC image (deterministic) written as PNG; returns its path. */
export async function writeIhcPng(filePath: string, size = { width: 320, height: 256 }, seed = 11): Promise<string> {
  // About one nucleus per 2500 px² (a 320 x 256 image holds 33).
  const cellCount = Math.max(2, Math.round((size.width * size.height) / 2500));
  const { image } = generateSyntheticIhc({ ...size, seed, cellCount, positiveFraction: 0.4 });
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toFile(filePath);
  return filePath;
}
