/** One live re-score, input event to overlay on screen (ms). */
export interface RescoreTiming {
  readonly slider: string;
  readonly inputToDrawnMs: number;
  readonly workerMs: number;
  readonly segCached: boolean;
  /** Worker stages (ms), then 'queue' (input to worker start), 'transfer' (worker done to reply received) and 'frame' (reply to next frame). */
  readonly stages: Record<string, number>;
}

/** Timings the viewer records for the browser benchmark (window.__restainTimings). */
export interface ViewerTimings {
  rescore: RescoreTiming[];
  composite: number[];
  /** Frame-to-frame intervals while zooming or panning. */
  frames: number[];
  /** Re-score requests replaced by a newer one before they ran. */
  dropped: number;
}

declare global {
  interface Window {
    __restainTimings?: ViewerTimings;
  }
}

/** The page's timing record, created on first use; bounded so a long session never grows it much. */
export function viewerTimings(): ViewerTimings {
  const timings = (window.__restainTimings ??= { rescore: [], composite: [], frames: [], dropped: 0 });
  for (const list of [timings.rescore, timings.composite, timings.frames] as unknown[][]) if (list.length > 5000) list.splice(0, list.length - 5000);
  return timings;
}
