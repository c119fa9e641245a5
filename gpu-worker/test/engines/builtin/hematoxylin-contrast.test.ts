import { parseBuiltinOptions, toPixelParameters } from '../../../src/engines/builtin/builtin-options';
import { segmentNuclei } from '../../../src/engines/builtin/segment-nuclei';

// At the reference scale (0.25 µm/px): a 70 px band of brown (DAB-stained) cytoplasm wider than
// the 10 µm background window holds a pale blue nucleus whose H + DAB equals the band's, so only
// its hematoxylin shows it; a dark blue nucleus on glass sits beside the band.
const [W, H] = [160, 120];
const pale = { x: 75, y: 60, r: 12 };
const dark = { x: 140, y: 60, r: 10 };

function planes(): { hematoxylin: Float32Array; dab: Float32Array } {
  const hematoxylin = new Float32Array(W * H);
  const dab = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (x >= 40 && x < 110) dab[i] = 0.2;
      if ((x - pale.x) ** 2 + (y - pale.y) ** 2 <= pale.r ** 2) {
        hematoxylin[i] = 0.15;
        dab[i] = 0.05;
      }
      if ((x - dark.x) ** 2 + (y - dark.y) ** 2 <= dark.r ** 2) hematoxylin[i] = 0.5;
    }
  }
  return { hematoxylin, dab };
}

function segment(hematoxylinContrastOd: number) {
  const { hematoxylin, dab } = planes();
  const p = toPixelParameters(parseBuiltinOptions({ hematoxylinContrastOd }), 0.05);
  const seg = segmentNuclei(hematoxylin, dab, W, H, p);
  const at = (c: { x: number; y: number }) => seg.labels[c.y * W + c.x];
  const area = (label: number) => seg.labels.reduce((n, l) => n + (l === label ? 1 : 0), 0);
  return { seg, at, area };
}

describe('hematoxylin contrast in the foreground', () => {
  it('finds a pale blue nucleus inside brown cytoplasm that the combined nuclear OD cannot see', () => {
    const off = segment(0);
    expect(off.at(pale)).toBe(0);
    const on = segment(0.05);
    const label = on.at(pale);
    expect(label).toBeGreaterThan(0);
    expect(on.seg.positive[label]).toBe(0);
    const expected = Math.PI * pale.r ** 2;
    expect(on.area(label)).toBeGreaterThan(0.7 * expected);
    expect(on.area(label)).toBeLessThan(1.3 * expected);
  });

  it('adds objects only: a nucleus found either way keeps its outline', () => {
    const off = segment(0);
    const on = segment(0.05);
    expect(off.at(dark)).toBeGreaterThan(0);
    expect(on.area(on.at(dark))).toBe(off.area(off.at(dark)));
    expect(on.seg.count).toBe(off.seg.count + 1);
  });

  it('is on by default', () => {
    expect(parseBuiltinOptions({}).hematoxylinContrastOd).toBeGreaterThan(0);
  });
});
