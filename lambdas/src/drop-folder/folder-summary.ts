import type { ObjectStore, Scoring } from '@restain/shared';
import { FOLDERS_PREFIX, type DropClaim, sha256Hex } from './drop-ledger';
import { summaryKey } from './drop-paths';
import { readJson, updateJson } from '../objects/stored-json';

/** State of one image in its folder's summary: waiting or running, or its outcome. */
export type SummaryState = 'pending' | 'succeeded' | 'failed';

/** One row of outbox/<folder>/summary.csv, kept as JSON in the ledger beside the claim it reports. */
export interface SummaryRow {
  /** The image's path relative to inbox/. */
  readonly path: string;
  readonly jobId: string;
  readonly claimedAt: string;
  readonly state: SummaryState;
  readonly scoring?: Pick<Scoring, 'num_total' | 'num_pos' | 'num_neg' | 'percent_pos' | 'h_score'>;
  readonly error?: string;
}

interface FolderState {
  readonly folder: string;
  readonly rows: Readonly<Record<string, SummaryRow>>;
}

export const SUMMARY_COLUMNS = ['path', 'state', 'num_total', 'num_pos', 'num_neg', 'percent_pos', 'h_score', 'error'] as const;

function folderStateKey(folder: string): string {
  return `${FOLDERS_PREFIX}${sha256Hex(folder)}.json`;
}

/** Order of claims of one path: the later claim (ties broken by job id) is the one the outbox shows. */
function isNewer(a: Pick<DropClaim, 'claimedAt' | 'jobId'>, b: Pick<DropClaim, 'claimedAt' | 'jobId'>): boolean {
  return a.claimedAt === b.claimedAt ? a.jobId > b.jobId : a.claimedAt > b.claimedAt;
}

/** The row of `path`, looked up as data only ("constructor" is a valid file name). */
function rowOf(state: FolderState | undefined, path: string): SummaryRow | undefined {
  return state && Object.hasOwn(state.rows, path) ? state.rows[path] : undefined;
}

/** True when a later claim of the same path exists: this job's outcome must not overwrite its outbox. */
export async function isSuperseded(objects: ObjectStore, folder: string, claim: DropClaim): Promise<boolean> {
  const state = await readJson<FolderState>(objects, folderStateKey(folder));
  const row = rowOf(state?.value, claim.dropPath);
  return row !== undefined && row.jobId !== claim.jobId && isNewer(row, claim);
}

/** Spreadsheet-safe CSV field: quoted when needed, and text that a spreadsheet would run as a formula defused. */
function csvField(value: string | number | null | undefined, text = false): string {
  if (value === null || value === undefined) return '';
  let field = String(value);
  if (text && /^[=+\-@\t\r]/.test(field)) field = `'${field}`;
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The summary CSV of a folder: a header and one row per image, sorted by path. */
export function renderSummaryCsv(rows: readonly SummaryRow[]): string {
  const lines = [SUMMARY_COLUMNS.join(',')];
  for (const row of [...rows].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const s = row.scoring;
    lines.push(
      [
        csvField(row.path, true),
        row.state,
        csvField(s?.num_total),
        csvField(s?.num_pos),
        csvField(s?.num_neg),
        csvField(s?.percent_pos),
        csvField(s?.h_score),
        csvField(row.error, true),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const MAX_CSV_REWRITES = 5;

/**
 * Record an image's row in its folder's summary and rewrite outbox/<folder>/summary.csv (atomic
 * put). A row from an older claim of the same path, or a pending row after the outcome, changes
 * nothing. The CSV is rewritten until the state it shows is still the latest, so concurrent
 * writers cannot leave an older CSV behind.
 */
export async function recordSummaryRow(objects: ObjectStore, folder: string, row: SummaryRow): Promise<void> {
  const key = folderStateKey(folder);
  let stored = await updateJson<FolderState>(objects, key, (current) => {
    const existing = rowOf(current, row.path);
    if (existing) {
      if (existing.jobId === row.jobId ? row.state === 'pending' && existing.state !== 'pending' : !isNewer(row, existing)) {
        return undefined;
      }
    }
    return { folder, rows: { ...current?.rows, [row.path]: row } };
  });
  for (let attempt = 0; stored && attempt < MAX_CSV_REWRITES; attempt++) {
    await objects.put(summaryKey(folder), new TextEncoder().encode(renderSummaryCsv(Object.values(stored.value.rows))), {
      contentType: 'text/csv',
    });
    const latest = await readJson<FolderState>(objects, key);
    if (!latest || latest.etag === stored.etag) return;
    stored = latest;
  }
}
