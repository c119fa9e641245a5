import type { Raster } from '@restain/shared';
import { mapsFromLogits, netInput } from '../../../src/engines/nuclei/nucleus-maps';
import { parseNucleusManifest } from '../../../src/engines/nuclei/nucleus-model';
import { VALID_NUCLEUS_MANIFEST } from './nucleus-manifest-fixture';

const model = parseNucleusManifest(VALID_NUCLEUS_MANIFEST);

function rgbTile(width: number, height: number, value: (x: number, y: number, c: number) => number, channels: 3 | 4 = 3): Raster {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = value(x, y, c);
  return { width, height, channels, data };
}

describe('netInput', () => {
  it('box-averages by the downsample factor, normalises, and mirror-pads to the input multiple', () => {
    // 10 x 6 tile -> 5 x 3 shrunk -> padded to 8 x 8.
    const tile = rgbTile(10, 6, (x, y, c) => (c === 0 ? x * 20 : c === 1 ? y * 40 : 255), 4);
    const input = netInput(tile, model);
    expect([input.width, input.height, input.innerWidth, input.innerHeight]).toEqual([8, 8, 5, 3]);
    const at = (c: number, x: number, y: number): number => input.data[c * 64 + y * 8 + x];
    // Shrunk pixel (1, 0) averages x = 2, 3 and y = 0, 1: red (40 + 60) / 2 = 50, green (0 + 40) / 2 = 20.
    expect(at(0, 1, 0)).toBeCloseTo(50 / 127.5 - 1, 6);
    expect(at(1, 1, 0)).toBeCloseTo(20 / 127.5 - 1, 6);
    expect(at(2, 1, 0)).toBeCloseTo(1, 6); // the alpha channel is ignored
    // Mirror padding without repeating the edge: column 5 = column 3, row 3 = row 1.
    expect(at(0, 5, 0)).toBe(at(0, 3, 0));
    expect(at(1, 0, 3)).toBe(at(1, 0, 1));
  });

  it('averages only the pixels a partial block holds at an odd edge', () => {
    const tile = rgbTile(3, 3, (x) => (x === 2 ? 200 : 0));
    const input = netInput(tile, model);
    expect(input.innerWidth).toBe(2);
    expect(input.data[1]).toBeCloseTo(200 / 127.5 - 1, 6);
  });
});

describe('mapsFromLogits', () => {
  it('applies the sigmoid, crops the padding and enlarges bilinearly with pixel centres aligned', () => {
    const input = { data: new Float32Array(0), width: 8, height: 8, innerWidth: 2, innerHeight: 1 };
    const logits = new Float32Array(3 * 64).fill(100); // padding: must never be read
    logits[0] = 0; // centre plane (0, 0): p = 0.5
    logits[1] = Math.log(3); // (1, 0): p = 0.75
    logits[64] = -Math.log(3); // positive plane: p = 0.25 then 0.5 (logit 0)
    logits[65] = 0;
    logits[128] = -100;
    logits[129] = -100;
    const maps = mapsFromLogits(logits, input, 4, 2, 2);
    // Output x = 0..3 sample shrunk x = -0.25, 0.25, 0.75, 1.25 (clamped to [0, 1]).
    expect(Array.from(maps.centre.slice(0, 4)).map((v) => +v.toFixed(4))).toEqual([0.5, 0.5625, 0.6875, 0.75]);
    expect(Array.from(maps.centre.slice(4, 8))).toEqual(Array.from(maps.centre.slice(0, 4)));
    expect(maps.positive[0]).toBeCloseTo(0.25, 5);
    expect(maps.positive[3]).toBeCloseTo(0.5, 5);
    expect(Math.max(...maps.mask)).toBeLessThan(1e-6);
  });

  it('says what it expected when the net returns the wrong number of values', () => {
    const input = { data: new Float32Array(0), width: 8, height: 8, innerWidth: 4, innerHeight: 4 };
    expect(() => mapsFromLogits(new Float32Array(64), input, 8, 8, 2)).toThrow('expected 192 output values ([1, 3, 8, 8]) but the net returned 64');
  });
});
