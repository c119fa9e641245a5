import type { Raster } from '@restain/shared';
import { scratch } from '../builtin/scratch';
import type { NucleusModelManifest } from './nucleus-model';

// Planes reused from call to call on this thread (see builtin/scratch); each is used up before the
// function that fills it returns or, for the maps, before the engine awaits anything. The net's
// input is not among them: it must outlive the await of session.run.
const shrunkScratch = scratch(Float32Array);
const probScratch = scratch(Float32Array);
const planeScratches = [scratch(Float32Array), scratch(Float32Array), scratch(Float32Array)];

/** The net's input for one tile: NCHW floats, the tile shrunk and mirror-padded. */
export interface NetInput {
  readonly data: Float32Array;
  /** Padded size fed to the net. */
  readonly width: number;
  readonly height: number;
  /** The shrunk tile's size inside the padding. */
  readonly innerWidth: number;
  readonly innerHeight: number;
}

/** Mirror index into [0, n): -1 -> 1, n -> n - 2 (reflection without repeating the edge). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/**
 * Shrinks an RGB(A) tile by the model's integer factor (box average), normalises it and
 * mirror-pads it to a multiple of the net's pooling.
 */
export function netInput(tile: Raster, model: NucleusModelManifest): NetInput {
  const k = model.downsample;
  const { width, height, channels, data } = tile;
  const innerWidth = Math.ceil(width / k);
  const innerHeight = Math.ceil(height / k);
  const m = model.inputMultiple;
  const padWidth = Math.ceil(innerWidth / m) * m;
  const padHeight = Math.ceil(innerHeight / m) * m;
  const plane = padWidth * padHeight;
  const out = new Float32Array(3 * plane);
  const { scale, offset } = model.normalisation;
  const inner = shrunkScratch(3 * innerWidth * innerHeight);
  for (let y = 0; y < innerHeight; y++) {
    const y0 = y * k;
    const y1 = Math.min(height, y0 + k);
    for (let x = 0; x < innerWidth; x++) {
      const x0 = x * k;
      const x1 = Math.min(width, x0 + k);
      let r = 0, g = 0, b = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0, o = (yy * width + x0) * channels; xx < x1; xx++, o += channels) {
          r += data[o];
          g += data[o + 1];
          b += data[o + 2];
        }
      }
      const w = scale / ((y1 - y0) * (x1 - x0));
      const p = (y * innerWidth + x) * 3;
      inner[p] = r * w + offset;
      inner[p + 1] = g * w + offset;
      inner[p + 2] = b * w + offset;
    }
  }
  for (let y = 0; y < padHeight; y++) {
    const sy = mirror(y, innerHeight);
    for (let x = 0; x < padWidth; x++) {
      const s = (sy * innerWidth + mirror(x, innerWidth)) * 3;
      const p = y * padWidth + x;
      out[p] = inner[s];
      out[plane + p] = inner[s + 1];
      out[2 * plane + p] = inner[s + 2];
    }
  }
  return { data: out, width: padWidth, height: padHeight, innerWidth, innerHeight };
}

/** The three probability planes at the tile's size. */
export interface NucleusMaps {
  readonly centre: Float32Array;
  readonly positive: Float32Array;
  readonly mask: Float32Array;
}

/**
 * Sigmoid of the net's three logit planes ([1, 3, h, w] for the padded input), cropped to the
 * shrunk tile and enlarged bilinearly (pixel centres aligned) to width x height. The planes are
 * this thread's scratch: valid until the next call.
 */
export function mapsFromLogits(logits: Float32Array, input: NetInput, width: number, height: number, downsample: number): NucleusMaps {
  const { width: pw, height: ph, innerWidth, innerHeight } = input;
  const plane = pw * ph;
  if (logits.length !== 3 * plane) {
    throw new Error(`expected ${3 * plane} output values ([1, 3, ${ph}, ${pw}]) but the net returned ${logits.length}`);
  }
  const xs0 = new Int32Array(width), xs1 = new Int32Array(width), xf = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const s = Math.min(innerWidth - 1, Math.max(0, (x + 0.5) / downsample - 0.5));
    xs0[x] = Math.floor(s);
    xs1[x] = Math.min(innerWidth - 1, xs0[x] + 1);
    xf[x] = s - xs0[x];
  }
  const planes = [0, 1, 2].map((c) => {
    const prob = probScratch(innerWidth * innerHeight);
    for (let y = 0; y < innerHeight; y++) {
      for (let x = 0; x < innerWidth; x++) prob[y * innerWidth + x] = 1 / (1 + Math.exp(-logits[c * plane + y * pw + x]));
    }
    const out = planeScratches[c](width * height);
    for (let y = 0; y < height; y++) {
      const s = Math.min(innerHeight - 1, Math.max(0, (y + 0.5) / downsample - 0.5));
      const y0 = Math.floor(s);
      const y1 = Math.min(innerHeight - 1, y0 + 1);
      const fy = s - y0;
      const r0 = y0 * innerWidth, r1 = y1 * innerWidth;
      for (let x = 0; x < width; x++) {
        const a = prob[r0 + xs0[x]] + (prob[r0 + xs1[x]] - prob[r0 + xs0[x]]) * xf[x];
        const b = prob[r1 + xs0[x]] + (prob[r1 + xs1[x]] - prob[r1 + xs0[x]]) * xf[x];
        out[y * width + x] = a + (b - a) * fy;
      }
    }
    return out;
  });
  return { centre: planes[0], positive: planes[1], mask: planes[2] };
}
