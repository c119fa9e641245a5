import { CHANNEL_NAMES } from '../../../src/engines/engine';
import { DEFAULT_POSTPROCESS_OPTIONS, extractCells } from '@restain/shared';
import { BUILTIN_MARKER_OD_FULL_SCALE, createBuiltinEngine } from '../../../src/engines/builtin';
import { BUILTIN_SEG_FLOOR } from '../../../src/engines/builtin/render-channels';
import { extractSegCells, paintSlide, type PaintedNucleus } from './synthetic-slide';

const NEGATIVE = { hematoxylin: 0.45, dab: 0 };
const POSITIVE = { hematoxylin: 0.15, dab: 0.9 };

async function analyse(width: number, height: number, nuclei: PaintedNucleus[], options: Record<string, unknown> = {}) {
  const engine = createBuiltinEngine(options);
  const tile = paintSlide(width, height, nuclei);
  const context = await engine.prepare(tile);
  return { tile, context, channels: await engine.inferTile(tile, context) };
}

describe('built-in engine', () => {
  it('splits a touching pair of nuclei into two cells', async () => {
    const nuclei = [{ x: 40, y: 48, radius: 13, ...NEGATIVE }, { x: 64, y: 48, radius: 13, ...NEGATIVE }];
    const cells = extractSegCells((await analyse(110, 96, nuclei)).channels.Seg);
    expect(cells).toHaveLength(2);
    expect(cells.map((c) => Math.round(c.cx / 10)).sort()).toEqual([4, 6]);
  });

  it('labels DAB nuclei positive and hematoxylin nuclei negative', async () => {
    const nuclei = [{ x: 30, y: 30, radius: 12, ...POSITIVE }, { x: 90, y: 30, radius: 12, ...NEGATIVE }, { x: 60, y: 80, radius: 11, ...POSITIVE }];
    const cells = extractSegCells((await analyse(120, 110, nuclei)).channels.Seg).sort((a, b) => a.cy - b.cy || a.cx - b.cx);
    expect(cells.map((c) => c.positive)).toEqual([true, false, true]);
    // Area close to the painted disc (pi r^2 = 452 for r 12), not swollen by a halo.
    expect(cells[0].area).toBeGreaterThan(300);
    expect(cells[0].area).toBeLessThan(560);
  });

  it('keeps a positive nucleus apart from a touching negative one', async () => {
    const nuclei = [{ x: 40, y: 40, radius: 12, ...POSITIVE }, { x: 62, y: 40, radius: 12, ...NEGATIVE }];
    const cells = extractSegCells((await analyse(100, 80, nuclei)).channels.Seg).sort((a, b) => a.cx - b.cx);
    expect(cells.map((c) => c.positive)).toEqual([true, false]);
  });

  it('grades Seg by nuclear stain: the default threshold keeps every nucleus, a higher one drops the faint', async () => {
    const nuclei = [{ x: 30, y: 32, radius: 12, hematoxylin: 0.9, dab: 0 }, { x: 80, y: 32, radius: 12, hematoxylin: 0.3, dab: 0 }];
    const { Seg } = (await analyse(112, 64, nuclei)).channels;
    const count = (segThresh: number) => extractCells(Seg, { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh, sizeThresh: 0 }).cells.length;
    expect(count(DEFAULT_POSTPROCESS_OPTIONS.segThresh)).toBe(2);
    expect(count(170)).toBe(1);
    const interior = Array.from({ length: Seg.width * Seg.height }, (_, i) => Seg.data[i * 3 + 2]).filter((b, i) => b > 0 && Seg.data[i * 3 + 1] === 0);
    expect(Math.min(...interior)).toBeGreaterThanOrEqual(BUILTIN_SEG_FLOOR);
    expect(Math.max(...interior)).toBeLessThan(255); // OD 0.9 is not the top of the scale
  });

  it('finds no cells on empty glass', async () => {
    const { channels } = await analyse(64, 64, []);
    expect(extractSegCells(channels.Seg)).toHaveLength(0);
    expect(channels.Marker.data.every((v) => v === 0)).toBe(true);
  });

  it('returns every channel as RGB at the tile size, for any tile size', async () => {
    const { channels } = await analyse(77, 53, [{ x: 30, y: 25, radius: 10, ...NEGATIVE }]);
    for (const name of CHANNEL_NAMES) {
      expect([channels[name].width, channels[name].height, channels[name].channels]).toEqual([77, 53, 3]);
      expect(channels[name].data).toHaveLength(77 * 53 * 3);
    }
  });

  it('draws Marker as DAB OD on the documented scale, Hema as H-only brightfield, DAPI and Lap2 on nuclei', async () => {
    const { channels } = await analyse(80, 80, [{ x: 40, y: 40, radius: 14, hematoxylin: 0.3, dab: 0.5 }]);
    const centre = (40 * 80 + 40) * 3;
    const expected = Math.round(Math.min(1, 0.5 / BUILTIN_MARKER_OD_FULL_SCALE) * 255);
    expect(Math.abs(channels.Marker.data[centre] - expected)).toBeLessThanOrEqual(12);
    // Hematoxylin-only: blue-violet, red channel darkest (H absorbs red most), lighter than the input.
    const hema = channels.Hema.data;
    expect(hema[centre]).toBeLessThan(hema[centre + 2]);
    expect(hema[0]).toBeGreaterThan(240);
    expect(channels.DAPI.data[centre]).toBeGreaterThan(100);
    expect(channels.DAPI.data[0]).toBe(0);
    // Lap2: the nucleus' outermost pixel on the centre row (first DAPI pixel) is brighter than its centre.
    let x = 0;
    while (x < 40 && channels.DAPI.data[(40 * 80 + x) * 3] === 0) x++;
    expect(x).toBeGreaterThan(25);
    expect(channels.Lap2.data[(40 * 80 + x) * 3 + 1]).toBeGreaterThan(2 * channels.Lap2.data[centre + 1]);
  });

  it('rejects unknown options and malformed contexts with typed errors', async () => {
    expect(() => createBuiltinEngine({ nucleusSize: 3 })).toThrow(/Expected a built-in engine option/);
    expect(() => createBuiltinEngine({ contrastOd: -1 })).toThrow(/finite number >= 0/);
    const engine = createBuiltinEngine();
    await expect(engine.inferTile(paintSlide(8, 8, []), {})).rejects.toThrow(/context from prepare/);
  });

  it('records its parameters for reproducibility', () => {
    const engine = createBuiltinEngine({ positiveDabOd: 0.2 });
    expect(engine.info.inputSize).toBeNull();
    expect(engine.info.parameters.positiveDabOd).toBe(0.2);
  });
});
