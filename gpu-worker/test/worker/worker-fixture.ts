import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  DEFAULT_POSTPROCESS_OPTIONS,
  type JobRecord,
  RestainError,
  encodeJobMessage,
  generateSyntheticIhc,
  inputKey,
} from '@restain/shared';
import { LocalFolderObjectStore, SqliteJobQueue, SqliteJobStore, type StateDatabase, openStateDatabase } from '@restain/shared/node';
import type { Engine } from '../../src/engines/engine';
import type { WorkerDeps } from '../../src/worker/worker-deps';

/** The worker's home on temp folders: real local adapters (folder store, SQLite queue and job store). */
export interface TestHome {
  readonly dir: string;
  readonly dataDir: string;
  readonly db: StateDatabase;
  readonly objects: LocalFolderObjectStore;
  readonly queue: SqliteJobQueue;
  readonly deadLetters: SqliteJobQueue;
  readonly jobs: SqliteJobStore;
  readonly tempDir: string;
  readonly events: { event: string; fields: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function openTestHome(policy: { visibilityTimeoutSeconds: number; maxReceiveCount: number }): Promise<TestHome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'restain-worker-test-'));
  // The data folder as the worker process lays it out: objects at its root, the state database in state/.
  const dataDir = path.join(dir, 'data');
  const db = openStateDatabase(path.join(dataDir, 'state', 'restain.sqlite'));
  const queuePolicy = { ...policy, retentionSeconds: 3600 };
  const tempDir = path.join(dir, 'tmp');
  return {
    dir,
    dataDir,
    db,
    objects: new LocalFolderObjectStore({ rootDir: dataDir, signedUrlBase: 'http://127.0.0.1', signingSecret: 'test-secret' }),
    queue: new SqliteJobQueue(db, { name: 'analysis', policy: queuePolicy, deadLetterQueueName: 'analysis-dlq' }),
    deadLetters: new SqliteJobQueue(db, { name: 'analysis-dlq', policy: queuePolicy }),
    jobs: new SqliteJobStore(db),
    tempDir,
    events: [],
    async close() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function workerDeps(home: TestHome, engine: Engine, visibilityTimeoutSeconds: number): WorkerDeps {
  return {
    objects: home.objects,
    queue: home.queue,
    jobs: home.jobs,
    engine,
    tempDir: home.tempDir,
    retentionSeconds: 3600,
    visibilityTimeoutSeconds,
    now: () => new Date(),
    log: (event, fields = {}) => home.events.push({ event, fields }),
  };
}

/** A synthetic IHC image as PNG bytes (40x, so a `size`-pixel edge makes ceil(size / 512)^2 tiles). */
export async function syntheticPng(size: number, seed: number): Promise<Buffer> {
  const { image } = generateSyntheticIhc({ width: size, height: size, seed, cellCount: Math.round((size * size) / 3000) });
  return sharp(image.data, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

/** What the upload edge leaves behind: a validated input object and a queued job record (no message yet). */
export async function createQueuedJob(home: Pick<TestHome, 'objects' | 'jobs'>, png: Buffer, size: number): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await home.objects.put(inputKey(id), png, { ifNoneMatch: '*', contentType: 'image/png' });
  const record: JobRecord = {
    id,
    owner: 'local',
    source: 'jobs-api',
    state: 'queued',
    options: { scale: { kind: 'magnification', magnification: '40x' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 },
    createdAt: now,
    updatedAt: now,
    uploadedAt: now,
    queuedAt: now,
    input: { key: inputKey(id), displayName: 'slide.png', format: 'png', width: size, height: size, sizeBytes: png.length, sha256: 'not-checked' },
    attempts: 0,
    results: [],
  };
  await home.jobs.create(record);
  return id;
}

export async function enqueue(home: Pick<TestHome, 'queue'>, jobId: string): Promise<void> {
  await home.queue.send(encodeJobMessage({ jobId }));
}

/** Takes the one message a test expects on the queue, leasing it for `visibilityTimeoutSeconds`. */
export async function receiveOne(home: Pick<TestHome, 'queue'>, visibilityTimeoutSeconds: number) {
  const [message] = await home.queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds });
  expect(message).toBeDefined();
  return message;
}

export async function expectQueueEmpty(home: Pick<TestHome, 'queue'>): Promise<void> {
  expect(await home.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
}

/** Test-only engine around a real one: counts calls, and can be slowed or made to fail. */
export interface FakeEngineOptions {
  /** Extra wait per tile (ms), so a job takes long enough to observe. */
  readonly tileDelayMs?: number;
  /** Throw on the first this-many tiles (an engine crash). */
  readonly failFirstTiles?: number;
  /** Throw on every tile (a poison job). */
  readonly failAlways?: boolean;
}

export interface CountingEngine extends Engine {
  readonly calls: { prepares: number; tiles: number };
}

export function fakeEngine(base: Engine, options: FakeEngineOptions = {}): CountingEngine {
  const calls = { prepares: 0, tiles: 0 };
  return {
    info: base.info,
    calls,
    async prepare(sample) {
      calls.prepares++;
      return base.prepare(sample);
    },
    async inferTile(tile, context) {
      calls.tiles++;
      if (options.failAlways || calls.tiles <= (options.failFirstTiles ?? 0)) {
        throw new RestainError('ENGINE_FAILED', `engine crashed on tile ${calls.tiles}`);
      }
      if (options.tileDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tileDelayMs));
      return base.inferTile(tile, context);
    },
    close: async () => undefined,
  };
}

/** Poll `check` every 20 ms until it returns a value other than undefined/false; fail after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every object key under a prefix. */
export async function keysUnder(objects: LocalFolderObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter });
    keys.push(...page.objects.map((object) => object.key));
    startAfter = page.nextStartAfter;
  } while (startAfter);
  return keys;
}

/** Entries left in a folder (missing folder: none). */
export async function entriesOf(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
