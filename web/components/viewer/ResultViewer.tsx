'use client';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { DEFAULT_POSTPROCESS_OPTIONS } from '@restain/shared';
import { authHeaders, errorFromResponse, sameOriginPath } from '../../lib/api-client';
import type { ResultView } from '../../lib/api-types';
import { type SliderAction, rescoreBody, resultOptions, sameThresholds, sliderOptions, sliderReducer, sliderStateOf } from '../../lib/rescoring/live-thresholds';
import type { FileSource } from '../../workers/worker-messages';
import { CanvasSlot } from './CanvasSlot';
import { ChannelControls, type ChannelSetting } from './ChannelControls';
import { LiveScores } from './LiveScores';
import { CHANNELS, type ChannelName, DEFAULT_COLOURS, autoWindow } from './multiplex/histogram-window';
import { ThresholdSliders } from './ThresholdSliders';
import { useInputImage } from './use-input-image';
import { useLiveRescore } from './use-live-rescore';
import { useMultiplex } from './use-multiplex';
import styles from './viewer.module.css';
import { ZoomPanStage } from './ZoomPanStage';

const MAP_FILES = ['Seg.png', 'Marker.png', 'DAB.png', 'Input.png', 'DAPI.png', 'Lap2.png'];

/**
 * Interactive adjustment and multiplex view of one result version: threshold sliders re-score
 * live in web workers with the server's own post-processing and scoring code, Apply saves a new
 * version through the re-score API; the IHC image or the DAPI / Lap2 / Marker composite, with
 * outlines, zoomed and panned.
 */
export function ResultViewer(props: { jobId: string; result: ResultView; apiKey?: string; onApplied: (version: number) => void }) {
  const { jobId, result, apiKey, onApplied } = props;
  const source = useMemo<FileSource | null>(() => {
    if (typeof window === 'undefined') return null;
    const urls: Record<string, string> = {};
    for (const file of result.files) if (MAP_FILES.includes(file.name)) urls[file.name] = new URL(sameOriginPath(file.url), window.location.href).href;
    return { urls, headers: authHeaders(apiKey) };
  }, [result.files, apiKey]);
  const base = useMemo(() => resultOptions(result.parameters, result.manifest), [result.parameters, result.manifest]);
  const saved = useMemo(() => sliderStateOf(base, { size: result.scoring.size_thresh, marker: result.scoring.marker_thresh }), [base, result.scoring]);
  const [state, dispatch] = useReducer(sliderReducer, saved);
  const stateRef = useRef(state);
  const { status, error, live, canvas, request } = useLiveRescore(source);
  const [sizeMax, setSizeMax] = useState(500);
  const [view, setView] = useState<'ihc' | 'multiplex'>('ihc');
  const [outlines, setOutlines] = useState(true);
  const [channels, setChannels] = useState<Record<ChannelName, ChannelSetting>>(() =>
    Object.fromEntries(CHANNELS.map((name) => [name, { on: true, window: { low: 0, high: 255 }, colour: DEFAULT_COLOURS[name] }])) as Record<ChannelName, ChannelSetting>);
  const multiplex = useMultiplex(source, view === 'multiplex');
  const input = useInputImage(source?.urls['Input.png'] ?? null, source?.headers ?? {});
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);

  // Every state change goes through here so the worker hears about it in the same event.
  const move = useCallback((action: SliderAction, slider: string, inputAt: number) => {
    const next = sliderReducer(stateRef.current, action);
    stateRef.current = next;
    dispatch(action);
    request(sliderOptions(next, base), slider, inputAt);
  }, [base, request]);

  useEffect(() => {
    if (status === 'ready') request(sliderOptions(stateRef.current, base), 'initial');
  }, [status, base, request]);

  useEffect(() => {
    if (!live) return;
    setSizeMax((max) => Math.max(max, Math.ceil(live.maxArea * 1.1)));
    const resolved: SliderAction = { type: 'resolved', size: live.scoring.size_thresh, marker: live.scoring.marker_thresh };
    stateRef.current = sliderReducer(stateRef.current, resolved);
    dispatch(resolved);
  }, [live]);

  useEffect(() => {
    if (!multiplex.histograms) return;
    const histograms = multiplex.histograms;
    setChannels((current) => Object.fromEntries(CHANNELS.map((name) => [name, { ...current[name], window: autoWindow(histograms[name]) }])) as Record<ChannelName, ChannelSetting>);
  }, [multiplex.histograms]);

  const { composite } = multiplex;
  useEffect(() => {
    if (view !== 'multiplex') return;
    composite(CHANNELS.filter((name) => channels[name].on).map((name) => ({ name, window: channels[name].window, colour: channels[name].colour })));
  }, [view, channels, composite]);

  const changeChannel = (name: ChannelName, setting: ChannelSetting) => {
    setChannels((current) => ({ ...current, [name]: setting }));
    setView('multiplex');
  };

  const apply = async () => {
    setApplying(true);
    setApplyError(null);
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/rescore`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders(apiKey) },
        body: JSON.stringify(rescoreBody(sliderOptions(stateRef.current, base))),
      });
      const text = await response.text();
      if (!response.ok) throw errorFromResponse(response.status, response.statusText, text);
      onApplied((JSON.parse(text) as { version: { version: number } }).version.version);
    } catch (reason) {
      setApplyError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setApplying(false);
    }
  };

  const reset = (to = saved) => move({ type: 'reset', to }, 'reset', performance.timeOrigin + performance.now());
  const defaults = sliderStateOf(DEFAULT_POSTPROCESS_OPTIONS);
  const changed = !sameThresholds(state, saved);

  return (
    <div className={styles.viewer}>
      <div className={styles.controls}>
        <ThresholdSliders state={state} sizeMax={sizeMax} onMove={move} disabled={status !== 'ready'} />
        <LiveScores scoring={live?.scoring ?? null} busy={status === 'loading'} />
        <div className="row">
          <button type="button" className="button-primary" onClick={apply} disabled={!changed || applying || status !== 'ready'}>Apply</button>
          <button type="button" className="button-secondary" onClick={() => reset(defaults)} disabled={status !== 'ready'}
            title="Segmentation 120, minimum size auto, no maximum, no marker threshold">Reset</button>
          <button type="button" className="button-quiet" onClick={() => reset()} disabled={status !== 'ready' || !changed}
            title="Back to the thresholds of the version shown">Revert</button>
          {applying ? <span className="muted" role="status">Saving a new version…</span> : null}
        </div>
        {status === 'loading' ? <p className="muted small" role="status">Loading the result maps for live re-scoring…</p> : null}
        {applyError ? <p className="error-text" role="alert">{applyError}</p> : null}
        {error ? <p className="error-text" role="alert">{error}</p> : null}
        <fieldset className={styles.viewToggle}>
          <legend>View</legend>
          <label className={styles.inline}><input type="radio" name={`view-${jobId}`} checked={view === 'ihc'} onChange={() => setView('ihc')} /> IHC</label>
          <label className={styles.inline}><input type="radio" name={`view-${jobId}`} checked={view === 'multiplex'} onChange={() => setView('multiplex')} /> Multiplex</label>
          <label className={styles.inline}><input type="checkbox" checked={outlines} onChange={(e) => setOutlines(e.target.checked)} /> Outlines</label>
        </fieldset>
        <ChannelControls channels={channels} histograms={multiplex.histograms} onChange={changeChannel} />
        {multiplex.error ? <p className="error-text" role="alert">{multiplex.error}</p> : null}
        {input.error ? <p className="error-text" role="alert">{input.error}</p> : null}
      </div>
      <ZoomPanStage width={size?.width ?? 0} height={size?.height ?? 0} label={view === 'ihc' ? 'IHC image with cell outlines' : 'Multiplex composite with cell outlines'}>
        {input.src ? (
          // eslint-disable-next-line @next/next/no-img-element -- a full-size blob image, transformed, not a layout image
          <img src={input.src} alt="Input IHC image" className={styles.layer} hidden={view !== 'ihc'} draggable={false}
            onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })} />
        ) : null}
        <CanvasSlot canvas={multiplex.canvas} className={styles.layer} label="Multiplex composite" hidden={view !== 'multiplex'} />
        <CanvasSlot canvas={canvas} className={styles.layer} label="Cell outlines (red positive, blue negative)" hidden={!outlines} />
      </ZoomPanStage>
    </div>
  );
}
