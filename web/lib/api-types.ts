/** Shapes of the jobs API as the web reads them (see GET /api/openapi.json); types only. */
import type { JobState, Scoring } from '@restain/shared';

export type { JobState };

/** States in which a job may still change by itself (the dashboard polls fast while any exist). */
export const ACTIVE_STATES: readonly JobState[] = ['created', 'uploaded', 'queued', 'running'];

/** scoring.json of a result version (DeepLIIF's keys plus Restain's): the shared scoring type. */
export type { Scoring };

/** GET /api/jobs/{jobId} `job`, and each entry of GET /api/jobs. */
export interface JobView {
  readonly id: string;
  readonly state: JobState;
  readonly source: string;
  readonly displayName: string | null;
  readonly parameters: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly queuedAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly input: { format: string; width: number; height: number; sizeBytes: number } | null;
  readonly progress: { tilesDone: number; tilesTotal: number } | null;
  readonly queuePosition: number | null;
  readonly error: { code: string; message: string } | null;
  readonly resultVersion: number | null;
  readonly scoring: Scoring | null;
  readonly feedback: readonly { text: string; createdAt: string }[];
}

/** One result file of a version. */
export interface ResultFile {
  readonly name: string;
  readonly contentType: string;
  readonly url: string;
}

/** GET /api/jobs/{jobId}/results[?version=n]. */
export interface ResultView {
  readonly jobId: string;
  readonly version: number;
  readonly versions: readonly number[];
  readonly createdAt: string;
  readonly parameters: Record<string, unknown>;
  readonly scoring: Scoring;
  readonly manifest: unknown;
  readonly files: readonly ResultFile[];
  readonly zipUrl: string;
}

/** GET /api/config: limits and defaults a client needs before uploading. */
export interface PlatformConfig {
  readonly syncMaxPixels: number;
  readonly jobMaxPixels: number;
  readonly maxUploadBytes: number;
  readonly resolutions: readonly string[];
  readonly defaults: Record<string, unknown>;
  readonly requireApiKeys: boolean;
  readonly retentionSeconds?: number;
}

/** Magnifications a user may choose per upload; `auto` lets the server estimate it. */
export const RESOLUTIONS = ['auto', '10x', '20x', '40x'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** GET /api/status: the queue, running jobs and the worker fleet (local processes or ECS tasks). */
export interface PlatformStatus {
  readonly time: string;
  readonly queue: { readonly visible: number; readonly inFlight: number; readonly delayed: number };
  readonly jobs: { readonly running: number; readonly runningCapped: boolean };
  readonly workers: { readonly desiredWorkers: number; readonly runningWorkers: number; readonly pendingWorkers: number } | null;
  readonly workersError?: string;
}
