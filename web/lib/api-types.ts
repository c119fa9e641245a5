/** Shapes of the jobs API as the web reads them (see GET /api/openapi.json); types only. */
import type { JobState, Scoring } from '@restain/shared';

export type { JobState };

/** States in which a job may still change by itself (the dashboard polls fast while any exist). */
export const ACTIVE_STATES: readonly JobState[] = ['created', 'uploaded', 'queued', 'running'];

/** scoring.json of a result version (DeepLIIF's keys plus Restain's): the shared scoring type. */
export type { Scoring };

/** The jobs API's answers: the definitions the server builds them from. */
export type { ClientConfig as PlatformConfig, JobView, PlatformStatus, ResultFile, ResultView } from '@restain/shared';

/** Magnifications a user may choose per upload; `auto` lets the server estimate it. */
export const RESOLUTIONS = ['auto', '10x', '20x', '40x'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
