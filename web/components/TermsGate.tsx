'use client';
import { type ReactNode, useId, useState } from 'react';
import { acceptTerms } from '../lib/settings-store';
import { useSettings } from '../lib/use-settings';
import { TermsText } from './TermsText';

/** Shows the terms until the user accepts them (remembered in this browser); then the children. */
export function TermsGate({ children }: { children: ReactNode }) {
  const settings = useSettings();
  const [checked, setChecked] = useState(false);
  const checkboxId = useId();
  if (settings === null) return <p className="muted">Loading…</p>;
  if (settings.termsAccepted) return <>{children}</>;
  return (
    <section className="card terms-gate" aria-labelledby="terms-heading">
      <h2 id="terms-heading">Before you upload: terms of use</h2>
      <TermsText />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (checked) acceptTerms();
        }}
      >
        <div className="checkbox-row">
          <input id={checkboxId} type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          <label htmlFor={checkboxId}>I have read the terms: my images contain no protected health information, and I use the results for research only.</label>
        </div>
        <button type="submit" className="button-primary" disabled={!checked}>
          Accept and continue
        </button>
      </form>
    </section>
  );
}
