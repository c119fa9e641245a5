import path from 'node:path';
import { ENV, RestainError } from '@restain/shared';
import { defaultNucleusModelDir } from '../../src/engines/nuclei/model-dir';
import { classifyFailure, retryDelaySeconds } from '../../src/worker/classify-failure';
import { analysisQueuePolicy, readWorkerConfig } from '../../src/worker/worker-config';

describe('readWorkerConfig', () => {
  it('gives the defaults for an empty environment: ./data, the nuclei engine on the CPU, one thread, 60 s lease, 3 receives, 7 days', () => {
    const config = readWorkerConfig({});
    expect(config).toEqual({
      dataDir: path.resolve('data'),
      engine: { kind: 'nuclei', modelDir: defaultNucleusModelDir(), device: 'cpu' },
      engineThreads: 1,
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 3,
      retentionSeconds: 7 * 86_400,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(analysisQueuePolicy(config)).toEqual({ visibilityTimeoutSeconds: 60, maxReceiveCount: 3, retentionSeconds: 1_209_600 });
  });

  it('reads every setting from its variable', () => {
    const config = readWorkerConfig({
      [ENV.DATA_DIR]: '/srv/restain',
      [ENV.MODEL]: 'models/deepliif',
      [ENV.DEVICE]: 'cuda',
      [ENV.ENGINE_THREADS]: '2',
      [ENV.VISIBILITY_TIMEOUT_SECONDS]: '5',
      [ENV.MAX_RECEIVES]: '4',
      [ENV.RETENTION_DAYS]: '0.5',
    });
    expect(config).toEqual({
      dataDir: '/srv/restain',
      engine: { kind: 'onnx', modelDir: path.resolve('models/deepliif'), device: 'cuda' },
      engineThreads: 2,
      visibilityTimeoutSeconds: 5,
      maxReceiveCount: 4,
      retentionSeconds: 43_200,
    });
  });

  it.each([
    [ENV.ENGINE_THREADS, '0', 'Expected RESTAIN_ENGINE_THREADS to be an integer from 1 to 64 but received "0"'],
    [ENV.VISIBILITY_TIMEOUT_SECONDS, '1.5', 'Expected RESTAIN_VISIBILITY_TIMEOUT_SECONDS to be an integer from 1 to 43200 but received "1.5"'],
    [ENV.MAX_RECEIVES, 'many', 'Expected RESTAIN_MAX_RECEIVES to be an integer from 1 to 1000 but received "many"'],
    [ENV.RETENTION_DAYS, '-1', 'Expected RESTAIN_RETENTION_DAYS to be a number from 0.00001 to 3650 but received "-1"'],
    [ENV.DEVICE, 'gpu', 'Expected RESTAIN_DEVICE to be cpu or cuda but received "gpu"'],
  ])('refuses %s=%s with a one-line reason', (name, value, message) => {
    expect(() => readWorkerConfig({ [name]: value })).toThrow(new RestainError('INVALID_ARGUMENT', message));
  });
});

describe('classifyFailure', () => {
  it('fails bad input for good, hands back on shutdown, and retries the rest (a full disk as INSUFFICIENT_STORAGE)', () => {
    expect(classifyFailure(new RestainError('CORRUPT_IMAGE', 'bad PNG'), false)).toEqual({ kind: 'input', error: { code: 'CORRUPT_IMAGE', message: 'bad PNG' } });
    expect(classifyFailure(new RestainError('ENGINE_FAILED', 'thread died'), false)).toEqual({ kind: 'transient', error: { code: 'ENGINE_FAILED', message: 'thread died' } });
    expect(classifyFailure(new RestainError('CANCELLED', 'stop'), false)).toEqual({ kind: 'cancelled' });
    expect(classifyFailure(new RestainError('CORRUPT_IMAGE', 'read cut short by shutdown'), true)).toEqual({ kind: 'cancelled' });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(classifyFailure(new RestainError('OUTPUT_FAILED', 'Cannot write results', { cause: full }), false)).toMatchObject({
      kind: 'transient',
      error: { code: 'INSUFFICIENT_STORAGE' },
    });
    expect(classifyFailure(new TypeError('x is undefined'), false)).toEqual({ kind: 'transient', error: { code: 'INTERNAL', message: 'x is undefined' } });
  });

  it('doubles the retry delay per receive up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((receive) => retryDelaySeconds(receive, 5, 60))).toEqual([5, 10, 20, 40, 60, 60]);
  });
});
