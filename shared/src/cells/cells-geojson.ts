import type { Cell } from '../postprocess/postprocess-options';

/** QuPath's default colours of its Positive and Negative classes. */
export const POSITIVE_CLASS_COLOR: readonly [number, number, number] = [200, 50, 50];
export const NEGATIVE_CLASS_COLOR: readonly [number, number, number] = [112, 112, 225];

export interface CellFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: { readonly type: 'Polygon'; readonly coordinates: number[][][] };
  readonly properties: {
    readonly objectType: 'detection';
    readonly classification: { readonly name: 'Positive' | 'Negative'; readonly color: readonly [number, number, number] };
    readonly measurements: Record<string, number>;
  };
}

export interface CellFeatureCollection {
  readonly type: 'FeatureCollection';
  readonly features: CellFeature[];
}

/**
 * The cell outline as a closed GeoJSON ring in QuPath's image coordinates, where pixel (x, y)
 * spans [x, x+1): boundary pixel centres are at +0.5. Cells whose contour has no area (a line
 * of pixels) get their bounding box instead, so every ring is a valid polygon.
 */
function ring(cell: Cell): number[][] {
  const pts = cell.boundary.map(([x, y]) => [x + 0.5, y + 0.5]);
  let twiceArea = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i];
    const [x1, y1] = pts[(i + 1) % pts.length];
    twiceArea += x0 * y1 - x1 * y0;
  }
  if (pts.length < 3 || twiceArea === 0) {
    const [x0, y0, x1, y1] = cell.bbox;
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
  }
  return [...pts, pts[0]];
}

function measurements(cell: Cell): Record<string, number> {
  const m: Record<string, number> = { 'Area px': cell.area, 'Centroid X px': cell.x, 'Centroid Y px': cell.y };
  if (cell.meanDabOd !== null) m['DAB OD mean'] = cell.meanDabOd;
  if (cell.meanMarker !== null) m['Marker mean'] = cell.meanMarker;
  if (cell.maxMarker !== null) m['Marker max'] = cell.maxMarker;
  return m;
}

/** Cells as a GeoJSON FeatureCollection of detections that QuPath imports (File > Import objects). */
export function cellsToFeatureCollection(cells: readonly Cell[]): CellFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cells.map((cell) => ({
      type: 'Feature',
      id: `cell-${cell.id}`,
      geometry: { type: 'Polygon', coordinates: [ring(cell)] },
      properties: {
        objectType: 'detection',
        classification: cell.positive
          ? { name: 'Positive', color: POSITIVE_CLASS_COLOR }
          : { name: 'Negative', color: NEGATIVE_CLASS_COLOR },
        measurements: measurements(cell),
      },
    })),
  };
}

/** cells.geojson text (see cellsToFeatureCollection). */
export function cellsToGeoJson(cells: readonly Cell[]): string {
  return `${JSON.stringify(cellsToFeatureCollection(cells))}\n`;
}
