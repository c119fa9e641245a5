import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, S3Event, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '@restain/shared';
import { createSqsQueuePair } from '@restain/shared/aws';
import { emulatorS3Client, emulatorSqsClient } from '../../../test-support/aws-emulators/aws-clients';
import { type ConditionalWriteProxy, startConditionalWriteProxy } from '../../../test-support/aws-emulators/conditional-write-proxy';
import { type EmulatorProcess, type S3EventBody, type S3rverProcess, startFauxqs, startS3rver } from '../../../test-support/aws-emulators/start-emulators';
import { type AwsRuntime, buildAwsRuntime } from '../../src/handlers/aws-context';
import { type LambdaConfig, parseLambdaConfig } from '../../src/handlers/config';

export const BUCKET = 'restain-data';

/** s3rver (behind the conditional-write shim) and fauxqs on 127.0.0.1, with SDK clients for them. */
export interface AwsEmulators {
  readonly s3rver: S3rverProcess;
  readonly proxy: ConditionalWriteProxy;
  readonly fauxqs: EmulatorProcess;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  stop(): Promise<void>;
}

export async function startAwsEmulators(): Promise<AwsEmulators> {
  const [s3rver, fauxqs] = await Promise.all([startS3rver([BUCKET]), startFauxqs()]);
  const proxy = await startConditionalWriteProxy(s3rver.endpoint);
  const s3 = emulatorS3Client(proxy.endpoint);
  const sqs = emulatorSqsClient(fauxqs.endpoint);
  return {
    s3rver,
    proxy,
    fauxqs,
    s3,
    sqs,
    async stop() {
      s3.destroy();
      sqs.destroy();
      await proxy.stop();
      await Promise.all([s3rver.stop(), fauxqs.stop()]);
    },
  };
}

/** A runtime as a Lambda container builds it (config parsed from env variables), on a fresh queue pair and a key prefix-free bucket. */
export interface TestRuntime extends AwsRuntime {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly tempDir: string;
  close(): void;
}

export async function openTestRuntime(emulators: AwsEmulators, policy = { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionSeconds: 3600 }, env: Record<string, string> = {}): Promise<TestRuntime> {
  const { queueUrl, deadLetterQueueUrl } = await createSqsQueuePair(emulators.sqs, `analysis-${randomUUID()}`, policy);
  const parsed = parseLambdaConfig({
    [ENV.BUCKET]: BUCKET,
    [ENV.QUEUE_URL]: queueUrl,
    [ENV.DEAD_LETTER_QUEUE_URL]: deadLetterQueueUrl,
    [ENV.MAX_RECEIVES]: String(policy.maxReceiveCount),
    ...env,
  });
  // Lambda's /tmp is the container's own; tests get a private folder instead.
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'restain-lambda-'));
  const config: LambdaConfig = { ...parsed, api: { ...parsed.api, tempDir } };
  const runtime = buildAwsRuntime(config, { s3: emulators.s3, sqs: emulators.sqs }, 'https://api.example.test');
  return { ...runtime, queueUrl, deadLetterQueueUrl, tempDir, close: () => rmSync(tempDir, { recursive: true, force: true }) };
}

/** A key as S3 event notifications carry it: form-URL-encoded (space as `+`), `/` kept. */
export function s3EncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A real-shaped S3 event notification (as S3 sends to Lambda) for objects created in `bucket`. */
export function s3CreatedEvent(bucket: string, keys: readonly { readonly key: string; readonly size?: number; readonly eTag?: string }[], eventName = 'ObjectCreated:Put'): S3Event {
  return {
    Records: keys.map(({ key, size = 1, eTag = 'd41d8cd98f00b204e9800998ecf8427e' }) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName,
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: '203.0.113.7' },
      responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'restain-notification',
        bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
        object: { key: s3EncodeKey(key), size, eTag, sequencer: '0055AED6DCD90281E5' },
      },
    })),
  } as S3Event;
}

/** s3rver's emitted event as S3 would deliver it: the same records, keys URL-encoded as S3 does. */
export function asS3Notification(emitted: S3EventBody): S3Event {
  return s3CreatedEvent(
    emitted.Records[0].s3.bucket.name,
    emitted.Records.map((record) => ({ key: record.s3.object.key, size: record.s3.object.size, eTag: record.s3.object.eTag })),
    emitted.Records[0].eventName,
  );
}

/** A real-shaped SQS event for Lambda (as an event source mapping delivers it). */
export function sqsEvent(queueArn: string, bodies: readonly { readonly messageId: string; readonly body: string; readonly receiveCount?: number }[]): SQSEvent {
  return {
    Records: bodies.map(({ messageId, body, receiveCount = 1 }): SQSRecord => ({
      messageId,
      receiptHandle: `AQEB${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: 'ignored',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })),
  };
}

/** A real-shaped API Gateway HTTP API (payload 2.0) event. */
export function apiEvent(options: { method: string; path: string; query?: string; headers?: Record<string, string>; cookies?: string[]; body?: Uint8Array | string; sourceIp?: string }): APIGatewayProxyEventV2 {
  const binary = options.body instanceof Uint8Array;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: options.query ?? '',
    cookies: options.cookies,
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'jest', ...options.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: options.method, path: options.path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '198.51.100.4', userAgent: 'jest' },
      requestId: `req-${randomUUID()}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.body === undefined ? undefined : binary ? Buffer.from(options.body as Uint8Array).toString('base64') : (options.body as string),
    isBase64Encoded: binary,
  };
}

/** Lambda's context as far as the handlers use it. */
export const lambdaContext = { getRemainingTimeInMillis: () => 30_000 };

/** Polls `check` every 50 ms until it returns a value, failing after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
