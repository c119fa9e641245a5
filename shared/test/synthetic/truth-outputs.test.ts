import { generateSyntheticIhc, renderTruthMask, truthToPoints } from '../../src/synthetic';
import { countComponents8 } from './label-analysis';

describe('renderTruthMask', () => {
  const truth = generateSyntheticIhc({ width: 320, height: 256, seed: 5, cellCount: 30, positiveFraction: 0.4, touchingPairFraction: 0.6 });
  const mask = renderTruthMask(truth);
  const { width, height } = mask;

  it('uses only the DeepLIIF colours: red positive, blue negative, green boundary, black background', () => {
    expect(mask).toMatchObject({ width: 320, height: 256, channels: 3 });
    const colours = new Set<string>();
    const mismatches: string[] = [];
    for (let p = 0; p < width * height; p++) {
      const rgb = `${mask.data[p * 3]},${mask.data[p * 3 + 1]},${mask.data[p * 3 + 2]}`;
      colours.add(rgb);
      const id = truth.labels[p];
      const expected = id === 0 ? '0,0,0' : truth.cells[id - 1].positive ? '255,0,0' : '0,0,255';
      if (rgb !== expected && rgb !== '0,255,0') mismatches.push(`${p}: ${rgb} for ${expected}`);
      if (rgb === '0,255,0' && id === 0) mismatches.push(`${p}: boundary on background`);
    }
    expect(mismatches).toEqual([]);
    expect([...colours].sort()).toEqual(['0,0,0', '0,0,255', '0,255,0', '255,0,0']);
  });

  it('separates touching cells so that 8-connected red/blue regions are exactly the truth cells', () => {
    const fill = new Uint8Array(width * height);
    for (let p = 0; p < fill.length; p++) fill[p] = mask.data[p * 3] === 255 || mask.data[p * 3 + 2] === 255 ? 1 : 0;
    expect(truth.cells.filter((c) => c.clusterId !== null).length).toBeGreaterThanOrEqual(12);
    expect(countComponents8(fill, width, height)).toBe(truth.cells.length);
    // Without the boundaries, touching cells merge into fewer regions.
    const merged = new Uint8Array(width * height);
    for (let p = 0; p < merged.length; p++) merged[p] = truth.labels[p] !== 0 ? 1 : 0;
    expect(countComponents8(merged, width, height)).toBeLessThan(truth.cells.length);
  });

  it('draws a 1-px green ring around an isolated cell', () => {
    const cell = truth.cells.find((c) => c.clusterId === null && c.radiusX > 10);
    expect(cell).toBeDefined();
    const y = Math.round(cell!.y);
    const row = Array.from({ length: width }, (_, x) => truth.labels[y * width + x] === cell!.id);
    const first = row.indexOf(true);
    const last = row.lastIndexOf(true);
    const green = (x: number): boolean => mask.data[(y * width + x) * 3 + 1] === 255;
    expect([green(first), green(first + 1), green(last - 1), green(last)]).toEqual([true, false, false, true]);
  });
});

describe('truthToPoints', () => {
  it('lists each truth cell centre with its class', () => {
    const truth = generateSyntheticIhc({ width: 256, height: 256, seed: 9, cellCount: 12, positiveFraction: 0.25 });
    const points = truthToPoints(truth);
    expect(points).toHaveLength(12);
    expect(points.filter((p) => p.label === 'positive')).toHaveLength(3);
    points.forEach((point, i) => {
      expect(point).toEqual({ x: truth.cells[i].x, y: truth.cells[i].y, label: truth.cells[i].positive ? 'positive' : 'negative' });
      expect(truth.labels[Math.round(point.y) * 256 + Math.round(point.x)]).toBe(truth.cells[i].id);
    });
  });
});
