import type { Scoring } from '../../lib/api-types';

/** The headline scores of a result version; `data-value` holds the API's exact number. */
export function ScoreSummary({ scoring }: { scoring: Scoring }) {
  const rows: ReadonlyArray<[string, string, number | null, string]> = [
    ['total', 'Total cells', scoring.num_total, String(scoring.num_total)],
    ['positive', 'Positive', scoring.num_pos, String(scoring.num_pos)],
    ['negative', 'Negative', scoring.num_neg, String(scoring.num_neg)],
    ['percent', '% positive', scoring.percent_pos, `${scoring.percent_pos.toFixed(1)} %`],
    ['hscore', 'H-score', scoring.h_score, scoring.h_score === null ? '—' : scoring.h_score.toFixed(1)],
  ];
  return (
    <dl className="score-grid">
      {rows.map(([id, label, value, text]) => (
        <div key={id} className="score">
          <dt>{label}</dt>
          <dd data-testid={`score-${id}`} data-value={value === null ? '' : String(value)}>
            {text}
          </dd>
        </div>
      ))}
    </dl>
  );
}
