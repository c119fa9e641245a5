import { RestainError } from '../errors';
import type { Cell } from '../postprocess/postprocess-options';

export const CELLS_JSON_FORMAT = 'restain-cells';
export const CELLS_JSON_VERSION = 1;

/** cells.json: {format, version, count, cells}, one cell per line, each a Cell plus its class name. */
export function cellsToJson(cells: readonly Cell[]): string {
  const lines = cells.map(({ id, positive, ...rest }) => JSON.stringify({ id, class: positive ? 'positive' : 'negative', positive, ...rest }));
  const head = `{"format":"${CELLS_JSON_FORMAT}","version":${CELLS_JSON_VERSION},"count":${cells.length},"cells":[`;
  return lines.length === 0 ? `${head}]}\n` : `${head}\n${lines.join(',\n')}\n]}\n`;
}

function fail(expected: string, actual: unknown): never {
  throw new RestainError('INVALID_ARGUMENT', `Expected ${expected} in cells.json but received ${JSON.stringify(actual)?.slice(0, 80)}`);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): v is number | null => v === null || isNum(v);

function parseCell(raw: unknown, index: number): Cell {
  if (typeof raw !== 'object' || raw === null) fail(`an object for cell ${index}`, raw);
  const c = raw as Record<string, unknown>;
  for (const key of ['id', 'x', 'y', 'area'] as const) if (!isNum(c[key])) fail(`a number for cells[${index}].${key}`, c[key]);
  if (typeof c.positive !== 'boolean') fail(`a boolean for cells[${index}].positive`, c.positive);
  const bbox = c.bbox;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isNum)) fail(`[x0, y0, x1, y1] for cells[${index}].bbox`, bbox);
  for (const key of ['meanDabOd', 'meanMarker', 'maxMarker'] as const) {
    if (!numOrNull(c[key] ?? null)) fail(`a number or null for cells[${index}].${key}`, c[key]);
  }
  const boundary = c.boundary;
  if (!Array.isArray(boundary) || !boundary.every((p) => Array.isArray(p) && p.length === 2 && isNum(p[0]) && isNum(p[1]))) {
    fail(`[[x, y], ...] for cells[${index}].boundary`, boundary);
  }
  return {
    id: c.id as number,
    x: c.x as number,
    y: c.y as number,
    bbox: bbox as unknown as [number, number, number, number],
    area: c.area as number,
    positive: c.positive,
    meanDabOd: (c.meanDabOd ?? null) as number | null,
    meanMarker: (c.meanMarker ?? null) as number | null,
    maxMarker: (c.maxMarker ?? null) as number | null,
    boundary: boundary as [number, number][],
  };
}

/** Read cells.json back (re-scoring without the images); throws RestainError on a malformed file. */
export function parseCellsJson(text: string): Cell[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new RestainError('INVALID_ARGUMENT', `Expected JSON in cells.json but it does not parse: ${(error as Error).message}`);
  }
  const d = doc as Record<string, unknown> | null;
  if (d?.format !== CELLS_JSON_FORMAT || d.version !== CELLS_JSON_VERSION) {
    fail(`format "${CELLS_JSON_FORMAT}" version ${CELLS_JSON_VERSION}`, { format: d?.format, version: d?.version });
  }
  if (!Array.isArray(d.cells)) fail('a cells array', d.cells);
  return d.cells.map(parseCell);
}
