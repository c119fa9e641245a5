import type { Scoring } from '../scoring';
import type { JobRecord } from './job-record';

/**
 * What the jobs API answers, as the server builds it and every client (web app, CLI) reads it:
 * one definition, so the two cannot drift apart. Types only.
 */

/** A job as the jobs API shows it (GET /api/jobs/{jobId}, list entries, create answers). */
export interface JobView {
  readonly id: string;
  readonly state: JobRecord['state'];
  readonly source: JobRecord['source'];
  readonly displayName: string | null;
  readonly parameters: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly uploadedAt: string | null;
  readonly queuedAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly expiresAt: string | null;
  /** Create-then-upload jobs still waiting for their file: when the upload URL stops working. */
  readonly uploadExpiresAt: string | null;
  readonly input: { format: string; width: number; height: number; sizeBytes: number; sha256: string } | null;
  readonly progress: { tilesDone: number; tilesTotal: number } | null;
  /** 1 = next to start; only while queued. */
  readonly queuePosition: number | null;
  readonly attempts: number;
  readonly error: { code: string; message: string } | null;
  /** Number of the current result version (1 = the analysis, 2.. re-scores). */
  readonly resultVersion: number | null;
  readonly scoring: Scoring | null;
  readonly feedback: readonly { text: string; createdAt: string }[];
  readonly links: { self: string; results?: string; zip?: string };
}

/** One result file of a version. */
export interface ResultFile {
  readonly name: string;
  readonly contentType: string;
  readonly url: string;
}

/** GET /api/jobs/{jobId}/results[?version=n]: one version's manifest, scoring and file links. */
export interface ResultView {
  readonly jobId: string;
  readonly version: number;
  readonly versions: readonly number[];
  readonly createdAt: string;
  readonly parameters: Record<string, unknown>;
  readonly scoring: Scoring;
  /** manifest.json of the version (model, parameters, input checksum, code version, timings). */
  readonly manifest: unknown;
  readonly files: readonly ResultFile[];
  readonly zipUrl: string;
}

/** GET /api/config: the limits and defaults a client needs before uploading (no secrets). */
export interface ClientConfig {
  readonly syncMaxPixels: number;
  readonly jobMaxPixels: number;
  readonly maxUploadBytes: number;
  readonly resolutions: readonly string[];
  readonly defaults: Record<string, unknown>;
  readonly signedUrlTtlSeconds: number;
  readonly retentionSeconds: number;
  readonly requireApiKeys: boolean;
  readonly anonymousDeepliif: boolean;
  readonly rateLimitPerMinute: number;
}

/** The analysis workers as the operator sees them (GET /api/status). */
export interface FleetFigures {
  /** Workers the platform wants (ECS desiredCount; locally the configured pool size). */
  readonly desiredWorkers: number;
  readonly runningWorkers: number;
  /** Started but not yet running (ECS pendingCount: placing tasks, pulling the image, booting instances). */
  readonly pendingWorkers: number;
}

/** GET /api/status: the queue, the jobs being worked on, and the worker fleet. */
export interface PlatformStatus {
  readonly time: string;
  /** Messages waiting (`visible`), being worked on (`inFlight`, leased by a worker) and delayed (retries backing off). */
  readonly queue: { readonly visible: number; readonly inFlight: number; readonly delayed: number };
  /** Jobs in state `running` (at most the status route's limit; `runningCapped` when there may be more). */
  readonly jobs: { readonly running: number; readonly runningCapped: boolean };
  /** Null when this home cannot tell (no fleet configured) or the fleet did not answer (`workersError` says why). */
  readonly workers: FleetFigures | null;
  readonly workersError?: string;
}
