'use client';
import type { SliderAction, SliderState } from '../../lib/rescoring/live-thresholds';
import styles from './viewer.module.css';

/** What a slider move reports: the action and when its input event happened (epoch ms). */
export type SliderMove = (action: SliderAction, slider: string, inputAt: number) => void;

const eventAt = (event: { timeStamp: number }): number => performance.timeOrigin + event.timeStamp;

/**
 * The thresholds as range inputs. Moving Minimum size leaves 'auto', moving Marker threshold
 * leaves 'none'/'auto'; Maximum size at its right end means no upper limit; Minimum size vs median
 * cell at 0 means no median-area gate.
 */
export function ThresholdSliders(props: { state: SliderState; sizeMax: number; onMove: SliderMove; disabled: boolean }) {
  const { state, sizeMax, onMove, disabled } = props;
  const upperNone = sizeMax + 1;
  return (
    <fieldset className={styles.sliders} disabled={disabled}>
      <legend className="visually-hidden">Thresholds</legend>
      <label className={styles.slider}>
        <span>Segmentation threshold <output>{state.seg}</output></span>
        <input type="range" min={0} max={254} step={1} value={state.seg} aria-label="Segmentation threshold"
          onChange={(e) => onMove({ type: 'seg', value: Number(e.target.value) }, 'seg', eventAt(e))} />
      </label>
      <div className={styles.slider}>
        <label htmlFor="viewer-min-size">Minimum size <output>{state.size} px{state.sizeAuto ? ' (auto)' : ''}</output></label>
        <input id="viewer-min-size" type="range" min={0} max={sizeMax} step={1} value={Math.min(state.size, sizeMax)} aria-label="Minimum size"
          onChange={(e) => onMove({ type: 'size', value: Number(e.target.value) }, 'size', eventAt(e))} />
        <label className={styles.inline}>
          <input type="checkbox" checked={state.sizeAuto} onChange={(e) => onMove({ type: 'sizeAuto', auto: e.target.checked }, 'sizeAuto', eventAt(e))} />
          Auto
        </label>
      </div>
      <label className={styles.slider}>
        <span>Maximum size <output>{state.upper === null ? 'none' : `${state.upper} px`}</output></span>
        <input type="range" min={1} max={upperNone} step={1} value={state.upper === null ? upperNone : Math.min(state.upper, sizeMax)} aria-label="Maximum size"
          onChange={(e) => {
            const value = Number(e.target.value);
            onMove({ type: 'upper', value: value >= upperNone ? null : value }, 'upper', eventAt(e));
          }} />
      </label>
      <label className={styles.slider}>
        <span>Minimum size vs median cell <output>{state.relative === 0 ? 'none' : `${state.relative.toFixed(2)} × median`}</output></span>
        <input type="range" min={0} max={0.95} step={0.05} value={state.relative} aria-label="Minimum size vs median cell"
          onChange={(e) => onMove({ type: 'relative', value: Number(e.target.value) }, 'relative', eventAt(e))} />
      </label>
      <div className={styles.slider}>
        <label htmlFor="viewer-marker">Marker threshold <output>{state.markerMode === 'none' ? 'none' : `${state.marker}${state.markerMode === 'auto' ? ' (auto)' : ''}`}</output></label>
        <input id="viewer-marker" type="range" min={0} max={255} step={1} value={state.marker} aria-label="Marker threshold"
          onChange={(e) => onMove({ type: 'marker', value: Number(e.target.value) }, 'marker', eventAt(e))} />
        <label className={styles.inline}>
          <span className="visually-hidden">Marker threshold mode</span>
          <select value={state.markerMode} aria-label="Marker threshold mode"
            onChange={(e) => onMove({ type: 'markerMode', mode: e.target.value as SliderState['markerMode'] }, 'markerMode', eventAt(e))}>
            <option value="none">None</option>
            <option value="auto">Auto</option>
            <option value="manual">Manual</option>
          </select>
        </label>
      </div>
    </fieldset>
  );
}
