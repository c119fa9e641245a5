'use client';
import { type ChannelWindow, histogramPath, moveHandle } from './multiplex/histogram-window';
import styles from './viewer.module.css';

const W = 256;
const H = 40;

/** Two-handle window (low / high) over a channel's histogram; the shaded band is the window. */
export function HistogramWindowSlider(props: { name: string; histogram: number[] | null; window: ChannelWindow; colour: string; onChange: (window: ChannelWindow) => void; disabled?: boolean }) {
  const { name, histogram, window, colour, onChange, disabled } = props;
  return (
    <div className={styles.histogram}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" className={styles.histogramPlot}>
        <rect x={window.low} y={0} width={window.high - window.low} height={H} fill={colour} opacity={0.15} />
        {histogram ? <path d={histogramPath(histogram, W, H)} fill={colour} opacity={0.7} /> : null}
      </svg>
      <input type="range" min={0} max={255} value={window.low} disabled={disabled} aria-label={`${name} window low`}
        className={styles.handle} onChange={(e) => onChange(moveHandle(window, 'low', Number(e.target.value)))} />
      <input type="range" min={0} max={255} value={window.high} disabled={disabled} aria-label={`${name} window high`}
        className={styles.handle} onChange={(e) => onChange(moveHandle(window, 'high', Number(e.target.value)))} />
      <span className="small muted">{window.low}–{window.high}</span>
    </div>
  );
}
