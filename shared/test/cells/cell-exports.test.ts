import { cellsToCsv, cellsToFeatureCollection, cellsToGeoJson, cellsToJson, csvField, parseCellsJson } from '../../src/cells';
import { RestainError } from '../../src/errors';
import type { Cell } from '../../src/postprocess';

const square: Cell = {
  id: 1, x: 3, y: 4, bbox: [2, 3, 5, 6], area: 9, positive: true, meanDabOd: 0.6, meanMarker: 12.5, maxMarker: 40,
  boundary: [[2, 3], [4, 3], [4, 5], [2, 5]],
};
const line: Cell = {
  id: 2, x: 12, y: 1, bbox: [10, 1, 15, 2], area: 5, positive: false, meanDabOd: null, meanMarker: null, maxMarker: null,
  boundary: [[10, 1], [14, 1]],
};

describe('cellsToGeoJson', () => {
  it('writes QuPath detections: closed polygons at pixel centres, class name and colour, measurements', () => {
    const fc = cellsToFeatureCollection([square, line]);
    expect(fc.type).toBe('FeatureCollection');
    const [a, b] = fc.features;
    expect(a.geometry).toEqual({ type: 'Polygon', coordinates: [[[2.5, 3.5], [4.5, 3.5], [4.5, 5.5], [2.5, 5.5], [2.5, 3.5]]] });
    expect(a.properties.objectType).toBe('detection');
    expect(a.properties.classification).toEqual({ name: 'Positive', color: [200, 50, 50] });
    expect(a.properties.measurements).toEqual({ 'Area px': 9, 'Centroid X px': 3, 'Centroid Y px': 4, 'DAB OD mean': 0.6, 'Marker mean': 12.5, 'Marker max': 40 });
    // A one-pixel-wide cell has no contour area: its pixel-edge bounding box stands in.
    expect(b.geometry.coordinates[0]).toEqual([[10, 1], [15, 1], [15, 2], [10, 2], [10, 1]]);
    expect(b.properties.classification.name).toBe('Negative');
    expect(JSON.parse(cellsToGeoJson([square]))).toEqual(cellsToFeatureCollection([square]));
  });
});

describe('cellsToCsv', () => {
  it('writes a header and one CRLF row per cell, empty fields for missing values', () => {
    const csv = cellsToCsv([square, line]);
    expect(csv.split('\r\n')).toEqual([
      'id,class,centroid_x_px,centroid_y_px,bbox_x0,bbox_y0,bbox_x1,bbox_y1,area_px,mean_dab_od,mean_marker,max_marker',
      '1,Positive,3,4,2,3,5,6,9,0.6,12.5,40',
      '2,Negative,12,1,10,1,15,2,5,,,',
      '',
    ]);
  });

  it('quotes fields per RFC 4180', () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    const csv = cellsToCsv([square], { imageName: 'slide 1, "A"' });
    expect(csv.split('\r\n')[1]).toBe('"slide 1, ""A""",1,Positive,3,4,2,3,5,6,9,0.6,12.5,40');
    expect(csv.startsWith('image,id,class')).toBe(true);
  });
});

describe('cellsToJson', () => {
  it('round-trips through parseCellsJson and rejects malformed documents', () => {
    expect(parseCellsJson(cellsToJson([square, line]))).toEqual([square, line]);
    expect(parseCellsJson(cellsToJson([]))).toEqual([]);
    expect(() => parseCellsJson('{"format":"other","version":1,"cells":[]}')).toThrow(RestainError);
    const broken = cellsToJson([square]).replace('"positive":true', '"positive":"yes"');
    expect(() => parseCellsJson(broken)).toThrow(/cells\[0\]\.positive/);
  });

  it('names each cell\'s class', () => {
    const { cells } = JSON.parse(cellsToJson([square, line]));
    expect(cells.map((cell: { id: number; class: string }) => [cell.id, cell.class])).toEqual([
      [square.id, square.positive ? 'positive' : 'negative'],
      [line.id, line.positive ? 'positive' : 'negative'],
    ]);
  });
});
