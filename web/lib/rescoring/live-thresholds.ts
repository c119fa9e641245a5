import {
  DEFAULT_POSTPROCESS_OPTIONS,
  type PostprocessOptions,
} from '@restain/shared';

/** What the sliders show: 'auto' / 'none' modes next to the numbers they resolve to. */
export interface SliderState {
  readonly seg: number;
  readonly sizeAuto: boolean;
  /** The lower size gate in px (when sizeAuto, the value 'auto' resolved to, for display). */
  readonly size: number;
  /** The upper size gate in px, null = none. */
  readonly upper: number | null;
  /** The median-area gate: cells under this fraction of the median cell area are dropped (0: none). */
  readonly relative: number;
  readonly markerMode: 'none' | 'auto' | 'manual';
  /** The marker threshold 0..255 (when 'auto', the value it resolved to, for display). */
  readonly marker: number;
}

export type SliderAction =
  | { type: 'seg'; value: number }
  | { type: 'size'; value: number }
  | { type: 'sizeAuto'; auto: boolean }
  | { type: 'upper'; value: number | null }
  | { type: 'relative'; value: number }
  | { type: 'markerMode'; mode: SliderState['markerMode'] }
  | { type: 'marker'; value: number }
  /** Shows what 'auto' resolved to without leaving auto. */
  | { type: 'resolved'; size: number; marker: number | null }
  | { type: 'reset'; to: SliderState };

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(v)));

/** Slider state machine: moving a number leaves its 'auto'/'none' mode; Reset restores a saved state. */
export function sliderReducer(state: SliderState, action: SliderAction): SliderState {
  switch (action.type) {
    case 'seg': return { ...state, seg: clamp(action.value, 0, 254) };
    case 'size': return { ...state, sizeAuto: false, size: Math.max(0, Math.round(action.value)) };
    case 'sizeAuto': return { ...state, sizeAuto: action.auto };
    case 'upper': return { ...state, upper: action.value === null ? null : Math.max(1, Math.round(action.value)) };
    // Hundredths from 0 to 0.95 (the gate must stay below 1).
    case 'relative': return { ...state, relative: Math.min(95, Math.max(0, Math.round(action.value * 100))) / 100 };
    case 'markerMode': return { ...state, markerMode: action.mode };
    case 'marker': return { ...state, markerMode: 'manual', marker: clamp(action.value, 0, 255) };
    case 'resolved': return {
      ...state,
      size: state.sizeAuto ? action.size : state.size,
      marker: state.markerMode === 'auto' && action.marker !== null ? action.marker : state.marker,
    };
    case 'reset': return action.to;
  }
}

/** The post-processing options the sliders ask for (resolution and noise kept from the result's). */
export function sliderOptions(state: SliderState, base: PostprocessOptions): PostprocessOptions {
  return {
    ...base,
    segThresh: state.seg,
    sizeThresh: state.sizeAuto ? 'auto' : state.size,
    sizeThreshUpper: state.upper,
    sizeThreshRelative: state.relative,
    markerThresh: state.markerMode === 'manual' ? state.marker : state.markerMode,
  };
}

/** Slider state for options; `resolved` fills in the numbers behind 'auto' when known. */
export function sliderStateOf(options: PostprocessOptions, resolved: { size?: number; marker?: number | null } = {}): SliderState {
  return {
    seg: options.segThresh,
    sizeAuto: options.sizeThresh === 'auto',
    size: options.sizeThresh === 'auto' ? resolved.size ?? 0 : options.sizeThresh,
    upper: options.sizeThreshUpper,
    relative: options.sizeThreshRelative ?? 0,
    markerMode: typeof options.markerThresh === 'number' ? 'manual' : options.markerThresh,
    marker: typeof options.markerThresh === 'number' ? options.markerThresh : resolved.marker ?? 0,
  };
}

/** Whether two states ask for the same thresholds (resolved display values ignored). */
export function sameThresholds(a: SliderState, b: SliderState): boolean {
  return a.seg === b.seg && a.sizeAuto === b.sizeAuto && (a.sizeAuto || a.size === b.size) && a.upper === b.upper
    && a.relative === b.relative && a.markerMode === b.markerMode && (a.markerMode !== 'manual' || a.marker === b.marker);
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/**
 * The options a result version was made with: manifest.parameters.postprocess (exact, with any
 * resolution or noise setting), else the view's parameters (jobs API names), else the defaults.
 */
export function resultOptions(parameters: Record<string, unknown> | undefined, manifest: unknown): PostprocessOptions {
  const fromManifest = record(record(record(manifest).parameters).postprocess);
  // A result made before the median-area gate existed has none: absent is 0, not today's default.
  if (typeof fromManifest.segThresh === 'number') return { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThreshRelative: 0, ...(fromManifest as Partial<PostprocessOptions>) };
  const p = parameters ?? {};
  const number = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const seg = number(p.seg_thresh), size = number(p.size_thresh), upper = number(p.size_thresh_upper), marker = number(p.marker_thresh);
  const relative = typeof p.size_thresh_relative === 'number' ? p.size_thresh_relative : parameters ? 0 : DEFAULT_POSTPROCESS_OPTIONS.sizeThreshRelative;
  return {
    ...DEFAULT_POSTPROCESS_OPTIONS,
    sizeThreshRelative: relative,
    segThresh: seg ?? DEFAULT_POSTPROCESS_OPTIONS.segThresh,
    sizeThresh: size ?? 'auto',
    sizeThreshUpper: upper ?? null,
    markerThresh: marker ?? (p.marker_thresh === 'auto' ? 'auto' : 'none'),
  };
}

/** POST /api/jobs/{id}/rescore body for options (DeepLIIF's field names). */
export function rescoreBody(options: PostprocessOptions): Record<string, number | string> {
  return {
    seg_thresh: options.segThresh,
    size_thresh: options.sizeThresh,
    size_thresh_upper: options.sizeThreshUpper ?? 'none',
    size_thresh_relative: options.sizeThreshRelative ?? 0,
    marker_thresh: options.markerThresh,
  };
}
