import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ENV, RestainError } from '@restain/shared';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { ecsTaskProtection } from '../../src/worker/ecs-task-protection';
import { runWorker } from '../../src/worker/run-worker';
import { readWorkerConfig } from '../../src/worker/worker-config';
import { HEARTBEAT_MAX_AGE_MS, heartbeatProblem, startHeartbeat } from '../../src/worker/worker-heartbeat';
import { type TestHome, createQueuedJob, enqueue, openTestHome, syntheticPng, workerDeps } from './worker-fixture';

/** A stand-in for the ECS agent's task protection endpoint: records each PUT, answers as the agent does (or as told). */
interface FakeAgent {
  readonly uri: string;
  readonly puts: { path: string; body: { ProtectionEnabled: boolean; ExpiresInMinutes?: number } }[];
  answer: { status: number; body: unknown };
  close(): Promise<void>;
}

async function startFakeAgent(): Promise<FakeAgent> {
  const agent: Omit<FakeAgent, 'uri' | 'close'> = { puts: [], answer: { status: 200, body: { protection: { ProtectionEnabled: true } } } };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk)).on('end', () => {
      if (request.method === 'PUT') agent.puts.push({ path: request.url ?? '', body: JSON.parse(body) });
      response.writeHead(agent.answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(agent.answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(agent, {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/task-id`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let agent: FakeAgent;
let engine: Engine;
beforeAll(async () => {
  agent = await startFakeAgent();
  engine = await createEngine({ kind: 'builtin' });
});
afterAll(async () => {
  await engine?.close();
  await agent?.close();
});
beforeEach(() => {
  agent.puts.length = 0;
  agent.answer = { status: 200, body: { protection: { ProtectionEnabled: true } } };
});

describe('ECS task scale-in protection', () => {
  let home: TestHome;
  afterEach(() => home?.close());

  test('the worker turns protection on before a job and off once it is settled', async () => {
    home = await openTestHome({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const events: string[] = [];
    const protection = ecsTaskProtection({ agentUri: agent.uri, expiresInMinutes: 30, log: (event) => events.push(event) });
    const jobId = await createQueuedJob(home, await syntheticPng(256, 1), 256);
    await enqueue(home, jobId);
    const controller = new AbortController();
    let stateWhenOn: string | undefined;
    await runWorker(workerDeps(home, engine, 30), {
      signal: controller.signal,
      waitTimeSeconds: 1,
      onBusyChange: async (busy) => {
        if (busy) stateWhenOn = (await home.jobs.get(jobId))?.record.state;
        await protection.setBusy(busy);
      },
      onOutcome: () => controller.abort(),
    });
    protection.stop();
    expect(stateWhenOn).toBe('queued'); // on before the job started running
    expect((await home.jobs.get(jobId))?.record.state).toBe('succeeded');
    expect(agent.puts).toEqual([
      { path: '/api/task-id/task-protection/v1/state', body: { ProtectionEnabled: true, ExpiresInMinutes: 30 } },
      { path: '/api/task-id/task-protection/v1/state', body: { ProtectionEnabled: false } },
    ]);
    expect(events).toEqual(['task-protection.set', 'task-protection.set']);
  });

  test('a refusal or a missing agent is logged, never thrown', async () => {
    const events: { event: string; fields?: Record<string, unknown> }[] = [];
    const log = (event: string, fields?: Record<string, unknown>) => events.push({ event, fields });
    agent.answer = { status: 200, body: { failure: { Arn: 'arn:aws:ecs:task/x', Reason: 'TASK_NOT_VALID' } } };
    await ecsTaskProtection({ agentUri: agent.uri, expiresInMinutes: 5, log }).setBusy(true);
    agent.answer = { status: 400, body: { error: { Code: 'AccessDeniedException', Message: 'not allowed' } } };
    await ecsTaskProtection({ agentUri: agent.uri, expiresInMinutes: 5, log }).setBusy(false);
    await ecsTaskProtection({ agentUri: 'http://127.0.0.1:1', expiresInMinutes: 5, log, timeoutMs: 500 }).setBusy(true);
    expect(events.map((e) => e.event)).toEqual(['task-protection.refused', 'task-protection.refused', 'task-protection.failed']);
    expect(events[0].fields).toMatchObject({ enabled: true, status: 200, answer: expect.stringContaining('TASK_NOT_VALID') });
    expect(events[1].fields).toMatchObject({ enabled: false, status: 400 });
  });

  test('while busy the grant is renewed at half-life; turning off stops renewing', async () => {
    // 0.001 min = 60 ms grants: renewed every 30 ms.
    const protection = ecsTaskProtection({ agentUri: agent.uri, expiresInMinutes: 0.001, log: () => undefined });
    await protection.setBusy(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await protection.setBusy(false);
    const count = agent.puts.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.puts.length).toBe(count);
    expect(agent.puts.filter((p) => p.body.ProtectionEnabled).length).toBeGreaterThanOrEqual(3);
    expect(agent.puts.at(-1)?.body).toEqual({ ProtectionEnabled: false });
  });
});

describe('worker config for AWS', () => {
  test('bucket + queue URL select S3/SQS; ECS_AGENT_URI turns on task protection; heartbeat file resolved', () => {
    const config = readWorkerConfig({
      [ENV.BUCKET]: 'restain-data',
      [ENV.QUEUE_URL]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/restain-analysis',
      [ENV.ECS_AGENT_URI]: 'http://169.254.170.2/api/abc/',
      [ENV.HEARTBEAT_FILE]: '/tmp/restain/heartbeat',
    });
    expect(config).toMatchObject({
      aws: { bucket: 'restain-data', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/restain-analysis' },
      taskProtection: { agentUri: 'http://169.254.170.2/api/abc', expiresInMinutes: 60 },
      heartbeatFile: '/tmp/restain/heartbeat',
    });
    expect(readWorkerConfig({}).aws).toBeUndefined();
  });
  test.each([
    [{ [ENV.BUCKET]: 'restain-data' }, 'Expected both RESTAIN_BUCKET and RESTAIN_QUEUE_URL (AWS) or neither (local) but received only RESTAIN_BUCKET'],
    [{ [ENV.ECS_AGENT_URI]: 'http://x', [ENV.TASK_PROTECTION_MINUTES]: '3000' }, 'Expected RESTAIN_TASK_PROTECTION_MINUTES to be an integer from 1 to 2880 but received "3000"'],
  ])('refuses %p', (env, message) => {
    expect(() => readWorkerConfig(env)).toThrow(new RestainError('INVALID_ARGUMENT', message));
  });
});

describe('worker heartbeat (container health check)', () => {
  test('a beating worker is healthy; a stale, garbled or missing heartbeat is not', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'restain-heartbeat-'));
    try {
      const file = path.join(dir, 'heartbeat');
      const stop = startHeartbeat(file, () => undefined, 20);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await heartbeatProblem(file, Date.now())).toBeUndefined();
      await stop(); // a beat still in flight would otherwise overwrite the garbled file below
      expect(await heartbeatProblem(file, Date.now() + HEARTBEAT_MAX_AGE_MS + 1000)).toMatch(/^last heartbeat \d+ s ago \(limit 30 s\)$/);
      await writeFile(file, 'not json');
      expect(await heartbeatProblem(file, Date.now())).toMatch(/is not JSON/);
      expect(await heartbeatProblem(path.join(dir, 'absent'), Date.now())).toMatch(/^no heartbeat at .*absent \(ENOENT\)$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
