import type { EvalReport, EvalSummary, ImageEval } from './evaluate-directories';

const SEG_COLUMNS = ['n_gt', 'n_pred', 'pos_gt', 'pos_pred', 'ki67_gt', 'ki67_pred', 'ki67_abs_err', 'precision', 'recall', 'f1', 'class_acc', 'dice_fg', 'aji'];
const POINT_COLUMNS = ['n_gt', 'n_pred', 'tp', 'pos_gt', 'pos_pred', 'ki67_gt', 'ki67_pred', 'ki67_abs_err', 'precision', 'recall', 'f1', 'class_acc'];

function cell(value: unknown, column: string): string {
  if (typeof value !== 'number') return '-';
  if (Number.isInteger(value) && !column.startsWith('ki67') && !['precision', 'recall', 'f1', 'class_acc', 'dice_fg', 'aji'].includes(column)) return String(value);
  return value.toFixed(column.startsWith('ki67') ? 1 : 3);
}

function table(summary: EvalSummary, images: ImageEval[]): string[] {
  const columns = summary.kind === 'points' ? POINT_COLUMNS : SEG_COLUMNS;
  const rows: Array<[string, Record<string, unknown>]> = [
    ...images.map((i): [string, Record<string, unknown>] => [i.name, i.metrics as unknown as Record<string, unknown>]),
    ['MEAN', summary.mean],
    ['POOLED', summary.pooled as unknown as Record<string, unknown>],
  ];
  const cells = rows.map(([name, m]) => [name, ...columns.map((c) => cell(m[c], c))]);
  const header = ['image', ...columns.map((c) => c.replace('ki67_abs_err', 'ki67_err'))];
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((r) => r[k].length)));
  const line = (r: string[]): string => r.map((v, k) => (k === 0 ? v.padEnd(widths[k]) : v.padStart(widths[k]))).join('  ');
  return [`${summary.kind} (${summary.images} image${summary.images === 1 ? '' : 's'})`, line(header), ...cells.map(line)];
}

/** The report as aligned text tables, one per kind of truth, then the images with no prediction. */
export function formatEvalReport(report: EvalReport): string {
  const lines: string[] = [];
  for (const summary of report.summaries) {
    if (lines.length) lines.push('');
    lines.push(...table(summary, report.images.filter((i) => i.kind === summary.kind)));
  }
  if (report.summaries.length === 0) lines.push('no image had a prediction');
  if (report.missing.length) lines.push('', `missing predictions (${report.missing.length}): ${report.missing.join(', ')}`);
  return lines.join('\n');
}
