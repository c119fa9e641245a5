import type { PostprocessOptions } from '@restain/shared';
import type { Scoring } from '@restain/shared';
import type { ChannelName, ChannelWindow } from '../components/viewer/multiplex/histogram-window';
import type { StageTimes } from '../lib/rescoring/stage-clock';

/** Absolute result-file URLs and the auth headers to fetch them with. */
export interface FileSource {
  readonly urls: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

export type RescoreRequest =
  | { type: 'load'; role: 'live' | 'prefetch'; source: FileSource; canvas?: OffscreenCanvas; port?: MessagePort }
  /** inputAt: when the input event happened (ms since the epoch, performance.timeOrigin based). */
  | { type: 'rescore'; seq: number; options: PostprocessOptions; inputAt: number };

export interface RescoreTimings {
  readonly inputAt: number;
  readonly startedAt: number;
  readonly drawnAt: number;
  readonly segCached: boolean;
  /** Worker time per stage: mask (threshold + background fill), label, outline (seg moves not cached), select, score, paint, put. */
  readonly stages: StageTimes;
}

export type RescoreReply =
  | { type: 'loaded'; width: number; height: number }
  /** maxArea: the largest component at this seg threshold (the size sliders' range). */
  | { type: 'scored'; seq: number; scoring: Scoring; maxArea: number; timings: RescoreTimings }
  | { type: 'error'; seq?: number; message: string };

export type MultiplexRequest =
  | { type: 'load'; source: FileSource; canvas: OffscreenCanvas }
  | { type: 'composite'; seq: number; layers: { name: ChannelName; window: ChannelWindow; colour: readonly [number, number, number] }[] };

export type MultiplexReply =
  | { type: 'loaded'; width: number; height: number; histograms: Record<ChannelName, number[]> }
  | { type: 'composited'; seq: number; ms: number }
  | { type: 'error'; message: string };

/** Epoch milliseconds on the clock every thread shares (workers have their own timeOrigin). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
