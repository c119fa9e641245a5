import { ENV } from '@restain/shared';
import { DEFAULT_PARAMETERS, readDeployParameters } from '../lib/deploy-parameters';
import { workerEnvironment } from '../lib/runtime-environment';

const contextOf = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('readDeployParameters', () => {
  test('given no context, when read, then the documented defaults apply (g4dn.xlarge, 0 to 4 workers, builtin engine)', () => {
    const parameters = readDeployParameters(contextOf({}));
    expect(parameters).toEqual(DEFAULT_PARAMETERS);
    expect(parameters).toMatchObject({ instanceType: 'g4dn.xlarge', minWorkers: 0, maxWorkers: 4, modelLocation: 'nuclei' });
  });

  test('given -c strings and cdk.json values, when read, then both become typed values', () => {
    const parameters = readDeployParameters(contextOf({ maxWorkers: '8', retentionDays: 30, anonymousDeepliif: 'true', modelLocation: '/opt/restain/models/deepliif', alarmEmail: 'ops@example.org' }));
    expect(parameters).toMatchObject({ maxWorkers: 8, retentionDays: 30, anonymousDeepliif: true, modelLocation: '/opt/restain/models/deepliif', alarmEmail: 'ops@example.org' });
  });

  test('given a model uploaded under models/, when read, then the workers are told to fetch it from the data bucket', () => {
    const parameters = readDeployParameters(contextOf({ modelLocation: 'models/deepliif' }));
    const resources = { bucketName: 'restain-data-123', queueUrl: 'https://sqs.example/q', deadLetterQueueUrl: 'https://sqs.example/d' };
    expect(workerEnvironment(parameters, resources)[ENV.MODEL]).toBe('s3://restain-data-123/models/deepliif/');
    expect(workerEnvironment(DEFAULT_PARAMETERS, resources)[ENV.MODEL]).toBe('nuclei');
  });

  test.each([
    [{ modelLocation: 'models/../api-keys' }, /modelLocation/],
    [{ maxWorkers: '0' }, /maxWorkers/],
    [{ maxWorkers: '40' }, /from 1 to 32 for context maxWorkers/],
    [{ minWorkers: '5', maxWorkers: '2' }, /minWorkers/],
    [{ instanceType: 'm5.large' }, /GPU instance type/],
    [{ modelLocation: 's3://bucket/model' }, /modelLocation/],
    [{ workerLeaseSeconds: '3600', longestJobMinutes: '30' }, /less than longestJobMinutes/],
    [{ anonymousDeepliif: 'yes please' }, /true or false/],
    [{ syncMaxPixels: 'big' }, /pixel limit/],
  ])('given %j, when read, then it throws naming the context key', (values, message) => {
    expect(() => readDeployParameters(contextOf(values))).toThrow(message);
  });
});
