'use client';
import { useId } from 'react';

/** Chooses the result version shown (1 = the analysis, later ones re-scores). */
export function VersionPicker({ versions, current, onChange }: { versions: readonly number[]; current: number; onChange: (version: number) => void }) {
  const id = useId();
  const latest = Math.max(...versions);
  return (
    <div className="row">
      <label htmlFor={id}>Result version</label>
      <select id={id} value={current} onChange={(event) => onChange(Number(event.target.value))}>
        {[...versions].reverse().map((version) => (
          <option key={version} value={version}>
            {`Version ${version}${version === 1 ? ' (analysis)' : ' (re-scored)'}${version === latest ? ', latest' : ''}`}
          </option>
        ))}
      </select>
    </div>
  );
}
