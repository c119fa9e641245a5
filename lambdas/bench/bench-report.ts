/** The figures `npm run bench:api` prints (milliseconds unless named otherwise). */
export interface ApiBenchReport {
  readonly workers: number;
  readonly imageSize: number;
  readonly backlogJobs: number;
  readonly submitSeconds: number;
  readonly jobsPerMinute: number;
  /** Idle workers: upload accepted -> job started. */
  readonly pickUpMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly n: number };
  /** Backlog: upload accepted -> job started (mostly time spent behind other jobs). */
  readonly queueWaitMs: { readonly p50: number; readonly p95: number };
  /** GET /api/jobs/{id} while the workers are busy. */
  readonly statusMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly n: number };
  readonly lost: number;
  readonly notSucceeded: readonly string[];
}

/** Nearest-rank percentile of `values` (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}

export function printReport(report: ApiBenchReport): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const lines = [
    '',
    `API benchmark: ${report.backlogJobs} jobs of ${report.imageSize} x ${report.imageSize} px, ${report.workers} worker(s)`,
    `  throughput            ${report.jobsPerMinute.toFixed(1)} jobs/minute (backlog submitted in ${report.submitSeconds.toFixed(1)} s)`,
    `  pick-up latency       p50 ${ms(report.pickUpMs.p50)}, p95 ${ms(report.pickUpMs.p95)}, max ${ms(report.pickUpMs.max)} (upload -> start, idle workers, n=${report.pickUpMs.n})  target < 250 ms: ${verdict(report.pickUpMs.p95 < 250)}`,
    `  queue wait (backlog)  p50 ${ms(report.queueWaitMs.p50)}, p95 ${ms(report.queueWaitMs.p95)} (upload -> start, behind other jobs)`,
    `  status under load     p50 ${ms(report.statusMs.p50)}, p95 ${ms(report.statusMs.p95)}, max ${ms(report.statusMs.max)} (GET /api/jobs/{id}, n=${report.statusMs.n})  target p95 < 50 ms: ${verdict(report.statusMs.p95 < 50)}`,
    `  lost jobs             ${report.lost}  target 0: ${verdict(report.lost === 0)}`,
    ...report.notSucceeded.map((line) => `    not succeeded: ${line}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
