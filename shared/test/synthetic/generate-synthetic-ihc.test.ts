import { RestainError } from '../../src/errors';
import { generateSyntheticIhc, SAMPLE_IMAGE_OPTIONS, type SyntheticIhc } from '../../src/synthetic';
import { meanColour, touchingIdPairs } from './label-analysis';

const BASE = { width: 384, height: 320, seed: 11, cellCount: 40, positiveFraction: 0.3, touchingPairFraction: 0.4 };

function insideEllipse(cell: SyntheticIhc['cells'][number], px: number, py: number): boolean {
  const dx = px - cell.x;
  const dy = py - cell.y;
  const u = (dx * Math.cos(cell.angle) + dy * Math.sin(cell.angle)) / cell.radiusX;
  const v = (dy * Math.cos(cell.angle) - dx * Math.sin(cell.angle)) / cell.radiusY;
  return u * u + v * v <= 1 + 1e-9;
}

describe('generateSyntheticIhc', () => {
  const truth = generateSyntheticIhc(BASE);

  it('gives the same bytes for the same seed and different ones for another seed', () => {
    const again = generateSyntheticIhc(BASE);
    expect(Buffer.compare(Buffer.from(again.image.data), Buffer.from(truth.image.data))).toBe(0);
    expect(again.labels).toEqual(truth.labels);
    expect(again.cells).toEqual(truth.cells);
    const other = generateSyntheticIhc({ ...BASE, seed: 12 });
    expect(Buffer.compare(Buffer.from(other.image.data), Buffer.from(truth.image.data))).not.toBe(0);
  });

  it('returns an RGB raster of the requested size and one label per pixel', () => {
    expect(truth.image).toMatchObject({ width: 384, height: 320, channels: 3 });
    expect(truth.image.data.length).toBe(384 * 320 * 3);
    expect(truth.labels.length).toBe(384 * 320);
    expect(truth.pixelSizeMicrons).toBe(0.25);
  });

  it('places exactly the requested number of cells, or the count implied by the density', () => {
    expect(truth.cells).toHaveLength(40);
    expect(truth.cells.map((c) => c.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // 512 x 512 px at 0.25 µm/px = 0.016384 mm²; 3000 / mm² -> 49 cells.
    const dense = generateSyntheticIhc({ width: 512, height: 512, seed: 3, cellDensityPerMm2: 3000 });
    expect(dense.cells).toHaveLength(49);
  });

  it.each([0, 0.3, 0.55, 1])('makes round(%p x n) cells positive', (fraction) => {
    const result = generateSyntheticIhc({ ...BASE, positiveFraction: fraction });
    expect(result.cells.filter((c) => c.positive)).toHaveLength(Math.round(fraction * 40));
  });

  it('labels every pixel of a cell inside its ellipse, with the area it reports', () => {
    const counted = new Int32Array(truth.cells.length + 1);
    let outside = 0;
    for (let p = 0; p < truth.labels.length; p++) {
      const id = truth.labels[p];
      counted[id]++;
      const x = p % truth.image.width;
      if (id !== 0 && !insideEllipse(truth.cells[id - 1], x, (p - x) / truth.image.width)) outside++;
    }
    expect(outside).toBe(0);
    for (const cell of truth.cells) {
      expect(cell.area).toBe(counted[cell.id]);
      const ellipseArea = Math.PI * cell.radiusX * cell.radiusY;
      if (cell.clusterId === null) {
        // Pixel-centre sampling of an ellipse: the count differs from its area by about the perimeter / 4 at most.
        expect(Math.abs(cell.area - ellipseArea)).toBeLessThan(Math.PI * (cell.radiusX + cell.radiusY) * 0.25 + 2);
      } else {
        // A touching cell gives up at most a few pixels of overlap to its neighbour.
        expect(cell.area).toBeGreaterThan(0.8 * ellipseArea);
      }
    }
  });

  it('makes clustered cells really touch in the labels and keeps isolated cells apart', () => {
    const pairs = touchingIdPairs(truth.labels, truth.image.width, truth.image.height);
    const clusters = new Map<number, number[]>();
    for (const cell of truth.cells) {
      if (cell.clusterId !== null) clusters.set(cell.clusterId, [...(clusters.get(cell.clusterId) ?? []), cell.id]);
    }
    expect(clusters.size).toBeGreaterThanOrEqual(5);
    for (const members of clusters.values()) {
      expect(members.length).toBeGreaterThanOrEqual(2);
      for (const id of members) {
        const touchesPartner = members.some((other) => other !== id && pairs.has(id < other ? `${id}-${other}` : `${other}-${id}`));
        expect(touchesPartner).toBe(true);
      }
    }
    // Isolated cells keep a gap: not even diagonal neighbours of another cell.
    for (const key of touchingIdPairs(truth.labels, truth.image.width, truth.image.height, true)) {
      const [a, b] = key.split('-').map(Number);
      expect(truth.cells[a - 1].clusterId).not.toBeNull();
      expect(truth.cells[a - 1].clusterId).toBe(truth.cells[b - 1].clusterId);
    }
  });

  it('scales nucleus size with the pixel size (6-10 µm nuclei)', () => {
    const meanDiameterPx = (result: SyntheticIhc): number =>
      result.cells.reduce((sum, c) => sum + 2 * Math.sqrt(c.radiusX * c.radiusY), 0) / result.cells.length;
    const at40x = meanDiameterPx(truth);
    const at20x = meanDiameterPx(generateSyntheticIhc({ ...BASE, width: 192, height: 160, cellCount: 40, pixelSizeMicrons: 0.5 }));
    expect(at40x * 0.25).toBeGreaterThan(6);
    expect(at40x * 0.25).toBeLessThan(10);
    expect(at40x / at20x).toBeGreaterThan(1.8);
    expect(at40x / at20x).toBeLessThan(2.2);
  });

  it('colours positive nuclei brown, negative nuclei blue and the background near white', () => {
    const { data } = truth.image;
    for (const cell of truth.cells) {
      const [r, , b] = meanColour(data, truth.labels, cell.id);
      if (cell.positive) expect(r).toBeGreaterThan(b + 10);
      else expect(b).toBeGreaterThan(r + 10);
    }
    const [r, g, b] = meanColour(data, truth.labels, 0);
    expect(Math.min(r, g, b)).toBeGreaterThan(200);
  });

  it('leaves empty areas as bright glass with no nuclei', () => {
    const result = generateSyntheticIhc({ ...BASE, cellCount: 20, background: { emptyAreaFraction: 0.5 } });
    const bright = (p: number): boolean => Math.min(result.image.data[p * 3], result.image.data[p * 3 + 1], result.image.data[p * 3 + 2]) >= 228;
    let brightPixels = 0;
    for (let p = 0; p < result.labels.length; p++) if (bright(p)) brightPixels++;
    expect(brightPixels / result.labels.length).toBeGreaterThan(0.3);
    const noEmpty = generateSyntheticIhc({ ...BASE, cellCount: 20, background: { emptyAreaFraction: 0 }, noiseLevel: 0 });
    let noEmptyBright = 0;
    for (let p = 0; p < noEmpty.labels.length; p++) {
      if (Math.min(noEmpty.image.data[p * 3], noEmpty.image.data[p * 3 + 1], noEmpty.image.data[p * 3 + 2]) >= 228) noEmptyBright++;
    }
    expect(noEmptyBright / noEmpty.labels.length).toBeLessThan(0.05);
  });

  it('builds the sample image: 1024 x 768 at 40x, 150 cells, 45 positive, some touching', () => {
    const sample = generateSyntheticIhc(SAMPLE_IMAGE_OPTIONS);
    expect(sample.image).toMatchObject({ width: 1024, height: 768 });
    expect(sample.cells).toHaveLength(150);
    expect(sample.cells.filter((c) => c.positive)).toHaveLength(45);
    expect(sample.cells.filter((c) => c.clusterId !== null).length).toBe(30);
  });

  it('rejects bad options and requests that cannot fit, with a typed error', () => {
    expect(() => generateSyntheticIhc({ ...BASE, width: 0 })).toThrow(RestainError);
    expect(() => generateSyntheticIhc({ ...BASE, positiveFraction: 1.5 })).toThrow(/positiveFraction/);
    expect(() => generateSyntheticIhc({ ...BASE, seed: 0.5 })).toThrow(/seed/);
    expect(() => generateSyntheticIhc({ ...BASE, width: 64, height: 64, cellCount: 50 })).toThrow(/could|placed/);
  });
});
