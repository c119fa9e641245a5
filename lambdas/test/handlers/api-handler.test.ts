import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient } from '@aws-sdk/client-ecs';
import { uploadKey } from '@restain/shared';
import type { S3EventBody } from '../../../test-support/aws-emulators/start-emulators';
import { createApiKey } from '../../src/api/auth/api-keys';
import { createApiHandler } from '../../src/handlers/api';
import { toApiGatewayResult } from '../../src/handlers/api-gateway-response';
import { ecsFleetStatus } from '../../src/handlers/ecs-fleet-status';
import { createUploadValidatorHandler } from '../../src/handlers/upload-validator';
import { syntheticPng } from '../support/test-images';
import { type AwsEmulators, type TestRuntime, apiEvent, asS3Notification, lambdaContext, openTestRuntime, startAwsEmulators, waitFor } from './aws-handler-fixture';

let emulators: AwsEmulators;
let runtime: TestRuntime;
let key: string;
let ecsAgent: http.Server;
const ecsRequests: { target: string; body: unknown }[] = [];
const events: S3EventBody[] = [];

beforeAll(async () => {
  emulators = await startAwsEmulators();
  emulators.s3rver.onEvent((event) => events.push(event));
  // A stand-in for the ECS API (JSON protocol over HTTP, as the SDK speaks it): DescribeServices only.
  ecsAgent = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk)).on('end', () => {
      ecsRequests.push({ target: String(request.headers['x-amz-target']), body: JSON.parse(body) });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ services: [{ serviceName: 'gpu-workers', desiredCount: 3, runningCount: 2, pendingCount: 1 }], failures: [] }));
    });
  });
  await new Promise<void>((resolve) => ecsAgent.listen(0, '127.0.0.1', resolve));
  runtime = await openTestRuntime(emulators, undefined, { RESTAIN_ECS_CLUSTER: 'restain', RESTAIN_ECS_SERVICE: 'gpu-workers' });
  key = (await createApiKey(runtime.context.objects, 'tester')).key;
});
afterAll(async () => {
  runtime?.close();
  await new Promise((resolve) => ecsAgent?.close(resolve));
  await emulators?.stop();
});

function handlerFor(fleet = true) {
  const ecs = new ECSClient({ endpoint: `http://127.0.0.1:${(ecsAgent.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const context = { ...runtime.context, fleet: fleet ? ecsFleetStatus(ecs, runtime.config.ecs!) : undefined };
  return createApiHandler(() => ({ config: runtime.config, context }));
}
const auth = () => ({ authorization: `Bearer ${key}` });

describe('API handler (API Gateway HTTP API payload 2.0)', () => {
  test('answers JSON; every request needs a key on AWS', async () => {
    const handler = handlerFor();
    const health = await handler(apiEvent({ method: 'GET', path: '/api/health' }), lambdaContext);
    expect(health).toMatchObject({ statusCode: 200, isBase64Encoded: false, headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' } });
    expect(JSON.parse(health.body as string)).toMatchObject({ status: 'ok', queue: { visible: 0, inFlight: 0 } });
    const anonymous = await handler(apiEvent({ method: 'GET', path: '/api/jobs' }), lambdaContext);
    expect(anonymous.statusCode).toBe(401);
    const withKey = await handler(apiEvent({ method: 'GET', path: '/api/jobs', query: 'limit=5', headers: auth() }), lambdaContext);
    expect(withKey.statusCode).toBe(200);
    const badPath = await handler(apiEvent({ method: 'GET', path: '/api/jobs/%E0%A4%A' }), lambdaContext);
    expect(badPath.statusCode).toBe(400);
  });

  test('create-then-upload: a presigned PUT to S3, the ObjectCreated event validates and queues the job', async () => {
    const handler = handlerFor();
    const created = await handler(apiEvent({ method: 'POST', path: '/api/jobs', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ filename: 'Slide 9.png', resolution: '20x' }) }), lambdaContext);
    expect(created.statusCode).toBe(201);
    const { job, upload } = JSON.parse(created.body as string) as { job: { id: string }; upload: { url: string } };
    expect(upload.url).toContain(`/${uploadKey(job.id)}?`);
    expect(upload.url).toContain('X-Amz-Signature=');
    // The client PUTs the bytes to the presigned URL (the shim in front of s3rver), and S3 notifies the validator.
    expect((await fetch(upload.url, { method: 'PUT', body: await syntheticPng() })).status).toBe(200);
    const emitted = await waitFor('the upload event', async () => events.find((e) => e.Records[0].s3.object.key === uploadKey(job.id)));
    await createUploadValidatorHandler(() => runtime.context, () => undefined)(asS3Notification(emitted));
    const status = await handler(apiEvent({ method: 'GET', path: `/api/jobs/${job.id}`, headers: auth() }), lambdaContext);
    expect(JSON.parse(status.body as string).job).toMatchObject({ state: 'queued', displayName: 'Slide 9.png', input: { width: 320, height: 256 } });
    expect(await runtime.context.objects.head(uploadKey(job.id))).toBeUndefined();
    expect((await runtime.context.queue.depth()).visible).toBe(1);
  });

  test('GET /api/status: queue depth, running jobs and the ECS service counts; null workers without a fleet', async () => {
    const answer = await handlerFor()(apiEvent({ method: 'GET', path: '/api/status', headers: auth() }), lambdaContext);
    expect(JSON.parse(answer.body as string)).toEqual({
      time: expect.any(String),
      queue: { visible: expect.any(Number), inFlight: 0, delayed: 0 },
      jobs: { running: 0, runningCapped: false },
      workers: { desiredWorkers: 3, runningWorkers: 2, pendingWorkers: 1 },
    });
    expect(ecsRequests.at(-1)).toEqual({ target: 'AmazonEC2ContainerServiceV20141113.DescribeServices', body: { cluster: 'restain', services: ['gpu-workers'] } });
    const without = await handlerFor(false)(apiEvent({ method: 'GET', path: '/api/status', headers: auth() }), lambdaContext);
    expect(JSON.parse(without.body as string).workers).toBeNull();
  });
});

describe('toApiGatewayResult', () => {
  const options = () => ({ objects: runtime.context.objects, urlTtlSeconds: 60, method: 'GET', maxInlineBytes: 1000 });
  const collect = async (body: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> => {
    const all: Uint8Array[] = [];
    for await (const chunk of body) all.push(chunk);
    return all;
  };
  async function* chunks(total: number, size = 300): AsyncIterable<Uint8Array> {
    for (let at = 0; at < total; at += size) yield Uint8Array.from({ length: Math.min(size, total - at) }, (_, i) => (at + i) % 251);
  }

  test('bytes and streams within the limit travel base64-encoded, without a stale content-length', async () => {
    const answer = await toApiGatewayResult({ status: 200, headers: { 'content-type': 'image/png', 'content-length': '999' }, body: chunks(900) }, options());
    expect(answer).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'image/png' } });
    expect(answer.headers).not.toHaveProperty('content-length');
    expect(Buffer.from(answer.body as string, 'base64')).toEqual(Buffer.concat(await collect(chunks(900))));
  });

  test('a body over the limit is parked in S3 and answered with a redirect to a presigned GET of exactly those bytes', async () => {
    const answer = await toApiGatewayResult(
      { status: 200, headers: { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="restain-x-v1.zip"', 'x-request-id': 'r1' }, body: chunks(5000) },
      options(),
    );
    expect(answer).toMatchObject({ statusCode: 302, body: '', headers: { 'x-request-id': 'r1', 'cache-control': 'no-store' } });
    const location = String(answer.headers!.location);
    expect(location).toMatch(/\/downloads\/[0-9a-f-]{36}\/restain-x-v1\.zip\?.*X-Amz-Expires=60/);
    expect(decodeURIComponent(location)).toContain('attachment; filename="restain-x-v1.zip"');
    const fetched = await fetch(location);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(Buffer.concat(await collect(chunks(5000))));
    const afterPost = await toApiGatewayResult({ status: 200, headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1001) }, { ...options(), method: 'POST' });
    expect(afterPost.statusCode).toBe(303);
  });
});
