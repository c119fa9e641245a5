'use client';
import Link from 'next/link';
import { TermsText } from '../../components/TermsText';
import { acceptTerms } from '../../lib/settings-store';
import { useSettings } from '../../lib/use-settings';

/** The terms of use, with acceptance for visitors who came here first. */
export default function TermsPage() {
  const settings = useSettings();
  return (
    <>
      <h1>Terms of use</h1>
      <section className="card">
        <TermsText />
        {settings?.termsAccepted ? (
          <p role="status">
            You accepted these terms in this browser. <Link href="/">Upload images</Link>
          </p>
        ) : (
          <button type="button" className="button-primary" onClick={() => acceptTerms()} disabled={settings === null}>
            I accept these terms
          </button>
        )}
      </section>
    </>
  );
}
