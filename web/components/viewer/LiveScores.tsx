'use client';
import type { Scoring } from '@restain/shared';
import styles from './viewer.module.css';

/** The live scores for the sliders' thresholds (what Apply would save). */
export function LiveScores(props: { scoring: Scoring | null; busy: boolean }) {
  const { scoring, busy } = props;
  const value = (v: number | null | undefined, suffix = '') => (scoring && v !== null && v !== undefined ? `${v}${suffix}` : '–');
  return (
    <dl className={styles.scores} aria-live="polite" aria-busy={busy}>
      <div><dt>Cells</dt><dd data-testid="live-num-total">{value(scoring?.num_total)}</dd></div>
      <div><dt>Positive</dt><dd data-testid="live-num-pos">{value(scoring?.num_pos)}</dd></div>
      <div><dt>Negative</dt><dd data-testid="live-num-neg">{value(scoring?.num_neg)}</dd></div>
      <div><dt>% positive</dt><dd data-testid="live-percent-pos">{value(scoring?.percent_pos, ' %')}</dd></div>
      <div><dt>H-score</dt><dd data-testid="live-h-score">{scoring && scoring.h_score === null ? 'n/a' : value(scoring?.h_score)}</dd></div>
    </dl>
  );
}
