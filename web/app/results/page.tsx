'use client';
import { Suspense } from 'react';
import { ResultPage } from '../../components/results/ResultPage';

/** Result of one job; the id is a query parameter because a static export has no dynamic routes. */
export default function ResultsRoute() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ResultPage />
    </Suspense>
  );
}
