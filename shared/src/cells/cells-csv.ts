import type { Cell } from '../postprocess/postprocess-options';

export const CELLS_CSV_COLUMNS = [
  'id', 'class', 'centroid_x_px', 'centroid_y_px', 'bbox_x0', 'bbox_y0', 'bbox_x1', 'bbox_y1',
  'area_px', 'mean_dab_od', 'mean_marker', 'max_marker',
] as const;

/** One CSV field per RFC 4180: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CellsCsvOptions {
  /** Adds a first column `image` with this value on every row (for concatenating images). */
  readonly imageName?: string;
}

/** cells.csv: a header and one row per cell, CRLF line ends (RFC 4180); empty field = no value. */
export function cellsToCsv(cells: readonly Cell[], options: CellsCsvOptions = {}): string {
  const lead = options.imageName === undefined ? [] : [csvField(options.imageName)];
  const header = [...(lead.length ? ['image'] : []), ...CELLS_CSV_COLUMNS].join(',');
  const rows = cells.map((c) => {
    const values = [c.id, c.positive ? 'Positive' : 'Negative', c.x, c.y, ...c.bbox, c.area, c.meanDabOd, c.meanMarker, c.maxMarker];
    return [...lead, ...values.map(csvField)].join(',');
  });
  return [header, ...rows].map((line) => `${line}\r\n`).join('');
}
