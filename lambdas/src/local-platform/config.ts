import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENV, RestainError } from '@restain/shared';
import type { ApiConfig } from '../api/app-context';

/** Everything the local platform is configured with: parsed once from the environment, frozen. */
export interface PlatformConfig {
  readonly host: string;
  /** TCP port; 0 picks a free one (the URL printed on start says which). */
  readonly port: number;
  /** Absolute path of the data folder (object store root, state database, drop folder). */
  readonly dataDir: string;
  /** `<dataDir>/state`: the SQLite database, the signing secret, the instance lock. */
  readonly stateDir: string;
  /** Origin clients use (links, signed URLs); undefined: the address the server listens on. */
  readonly publicUrl?: string;
  readonly workers: number;
  /** Engine threads per worker process (default: the cores shared out between the workers). */
  readonly engineThreads: number;
  /** Engine the workers run: `nuclei` (default), `builtin` or an ONNX model folder. */
  readonly model: string;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
  /** Secret that signs local upload/download URLs (hex). */
  readonly signingSecret: string;
  /** API settings, except the public URL which is known once the server listens. */
  readonly api: Omit<ApiConfig, 'publicBaseUrl'>;
}

/** Variables that feed the platform, as read from the process environment. */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;

const DAY_SECONDS = 86_400;
const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

/** True for an address only this machine can reach (a request without a key then acts as `local`). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

function bad(name: string, expected: string, value: string): RestainError {
  return new RestainError('INVALID_ARGUMENT', `Expected ${expected} for ${name} but received ${JSON.stringify(value)}`);
}

function integer(env: PlatformEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < min || value > max) throw bad(name, `a whole number from ${min} to ${max}`, text);
  return value;
}

function positiveNumber(env: PlatformEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw bad(name, 'a positive number', text);
  return value;
}

/** A pixel limit as `WIDTHxHEIGHT` (DeepLIIF states its limit that way) or a pixel count. */
function pixels(env: PlatformEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const match = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(text);
  const value = match ? Number(match[1]) * Number(match[2]) : /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw bad(name, 'a pixel limit such as 3000x3000 or 9000000', text);
  return value;
}

function boolean(env: PlatformEnv, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const lower = text.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  throw bad(name, 'true or false', text);
}

/** The parsed settings, without touching the disk (the signing secret comes from the env or later). */
export function parsePlatformEnv(env: PlatformEnv, cores: number, cwd: string): Omit<PlatformConfig, 'signingSecret'> & { signingSecret?: string } {
  const host = env[ENV.HOST]?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw bad(ENV.HOST, 'an IP address or host name', host);
  const dataDir = path.resolve(cwd, env[ENV.DATA_DIR]?.trim() || 'data');
  const retentionDays = positiveNumber(env, ENV.RETENTION_DAYS, 7);
  const workers = integer(env, ENV.WORKERS, Math.max(1, Math.floor(cores / 2)), 0, 256);
  const publicUrl = env[ENV.PUBLIC_URL]?.trim() || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+$/.test(publicUrl)) throw bad(ENV.PUBLIC_URL, 'an origin such as https://restain.example.org (no path)', publicUrl);
  const secret = env[ENV.SIGNING_SECRET];
  if (secret !== undefined && secret.length > 0 && secret.length < 16) throw bad(ENV.SIGNING_SECRET, 'at least 16 characters', '<hidden>');
  return {
    host,
    port: integer(env, ENV.PORT, 8080, 0, 65_535),
    dataDir,
    stateDir: path.join(dataDir, 'state'),
    publicUrl,
    workers,
    engineThreads: integer(env, ENV.ENGINE_THREADS, Math.max(1, Math.floor(cores / Math.max(1, workers))), 1, 64),
    model: env[ENV.MODEL]?.trim() || 'nuclei',
    // 3 receives: one crash may be bad luck, three on the same job are the job (SQS redrive maxReceiveCount).
    maxReceiveCount: integer(env, ENV.MAX_RECEIVES, 3, 1, 1000),
    // Workers extend their lease every third of this, so it only bounds how long a crashed worker's job waits.
    visibilityTimeoutSeconds: integer(env, ENV.VISIBILITY_TIMEOUT_SECONDS, 60, 2, 43_200),
    signingSecret: secret || undefined,
    api: {
      requireApiKeys: !isLoopbackHost(host),
      anonymousDeepliif: boolean(env, ENV.ANONYMOUS_DEEPLIIF, false),
      rateLimitPerMinute: integer(env, ENV.RATE_LIMIT_PER_MINUTE, 600, 1, 10_000_000),
      syncMaxPixels: pixels(env, ENV.SYNC_MAX_PIXELS, 3000 * 3000),
      jobMaxPixels: pixels(env, ENV.JOB_MAX_PIXELS, 10_000 * 10_000),
      // An uncompressed 10000 x 10000 RGB TIFF is 300 MB; leave room for alpha and headers.
      maxUploadBytes: integer(env, ENV.MAX_UPLOAD_BYTES, 512 * 1024 * 1024, 1024, 8 * 1024 ** 3),
      retentionSeconds: Math.round(retentionDays * DAY_SECONDS),
      signedUrlTtlSeconds: 15 * 60,
      syncTimeoutSeconds: 300,
      // Inside the data folder: request bodies staged here are renamed into the store on the same filesystem.
      tempDir: path.join(dataDir, 'tmp'),
    },
  };
}

/** The signing secret kept in `<stateDir>/signing-secret` (0600), generated on first start. */
export function loadOrCreateSigningSecret(stateDir: string): string {
  const file = path.join(stateDir, 'signing-secret');
  mkdirSync(stateDir, { recursive: true });
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/** The platform's configuration from this process's environment; INVALID_ARGUMENT (exit 2) on a bad value. */
export function loadPlatformConfig(env: PlatformEnv = process.env): PlatformConfig {
  const parsed = parsePlatformEnv(env, os.availableParallelism(), process.cwd());
  const signingSecret = parsed.signingSecret ?? loadOrCreateSigningSecret(parsed.stateDir);
  return Object.freeze({ ...parsed, signingSecret, api: Object.freeze({ ...parsed.api }) });
}

/** A worker process's environment: this one's, with the platform's settings, so workers never disagree with it. */
export function workerEnvironment(config: PlatformConfig, inherited: PlatformEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...inherited,
    [ENV.DATA_DIR]: config.dataDir,
    [ENV.MODEL]: config.model,
    [ENV.ENGINE_THREADS]: String(config.engineThreads),
    [ENV.VISIBILITY_TIMEOUT_SECONDS]: String(config.visibilityTimeoutSeconds),
    [ENV.MAX_RECEIVES]: String(config.maxReceiveCount),
    [ENV.RETENTION_DAYS]: String(config.api.retentionSeconds / DAY_SECONDS),
  };
}
