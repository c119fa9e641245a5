import { scratch } from './scratch';

const rowPassScratch = scratch(Float32Array);

/**
 * Gaussian blur of a float plane, sigma in pixels (sigma <= 0 copies). Small sigmas (< 2) use an
 * exact separable kernel (radius 3 sigma); larger ones the recursive filter of Young & van Vliet
 * (1995), whose cost does not grow with sigma. Edges replicate the border value. Writes into `out`
 * when given (not src), else a new plane. Given `within`, only pixels where it is set are needed:
 * the kernel path may leave others in `out` as they were.
 */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number, out: Float32Array = new Float32Array(src.length), within?: Uint8Array): Float32Array {
  if (!(sigma > 0)) {
    out.set(src);
    return out;
  }
  return sigma < 2 ? kernelBlur(src, width, height, sigma, out, within) : recursiveBlur(src, width, height, sigma, out);
}

function kernelBlur(src: Float32Array, width: number, height: number, sigma: number, out: Float32Array, within: Uint8Array | undefined): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const taps = radius * 2 + 1;
  const kernel = new Float32Array(taps);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < taps; i++) kernel[i] /= sum;
  const tmp = rowPassScratch(width * height);
  const line = new Float32Array(width + 2 * radius);
  // Rows: each copied into a padded line (edge values repeated) so the inner loop has no branches.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = 0; i < radius; i++) {
      line[i] = src[row];
      line[radius + width + i] = src[row + width - 1];
    }
    line.set(src.subarray(row, row + width), radius);
    // Four outputs at a time share each kernel load; each sums its taps in the plain order.
    let x = 0;
    for (; x + 4 <= width; x += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let k = 0, i = x; k < taps; k++, i++) {
        const c = kernel[k];
        a0 += line[i] * c;
        a1 += line[i + 1] * c;
        a2 += line[i + 2] * c;
        a3 += line[i + 3] * c;
      }
      tmp[row + x] = a0;
      tmp[row + x + 1] = a1;
      tmp[row + x + 2] = a2;
      tmp[row + x + 3] = a3;
    }
    for (; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += line[x + k] * kernel[k];
      tmp[row + x] = acc;
    }
  }
  // Columns: the taps' rows (edge rows repeated) summed in order; Math.fround after each tap
  // rounds exactly as accumulating into the Float32Array row by row would.
  const from = new Int32Array(taps);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = -radius; k <= radius; k++) {
      const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
      from[k + radius] = yy * width;
    }
    let x = 0;
    for (; x + 4 <= width; x += 4) {
      if (within && !(within[row + x] | within[row + x + 1] | within[row + x + 2] | within[row + x + 3])) continue;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let k = 0; k < taps; k++) {
        const c = kernel[k];
        const i = from[k] + x;
        a0 = Math.fround(a0 + tmp[i] * c);
        a1 = Math.fround(a1 + tmp[i + 1] * c);
        a2 = Math.fround(a2 + tmp[i + 2] * c);
        a3 = Math.fround(a3 + tmp[i + 3] * c);
      }
      out[row + x] = a0;
      out[row + x + 1] = a1;
      out[row + x + 2] = a2;
      out[row + x + 3] = a3;
    }
    for (; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc = Math.fround(acc + tmp[from[k] + x] * kernel[k]);
      out[row + x] = acc;
    }
  }
  return out;
}

function recursiveBlur(src: Float32Array, width: number, height: number, sigma: number, out: Float32Array): Float32Array {
  const q = sigma >= 2.5 ? 0.98711 * sigma - 0.9633 : 3.97156 - 4.14554 * Math.sqrt(1 - 0.26891 * sigma);
  const q2 = q * q;
  const q3 = q2 * q;
  const b0 = 1.57825 + 2.44413 * q + 1.4281 * q2 + 0.422205 * q3;
  const b1 = (2.44413 * q + 2.85619 * q2 + 1.26661 * q3) / b0;
  const b2 = -(1.4281 * q2 + 1.26661 * q3) / b0;
  const b3 = (0.422205 * q3) / b0;
  const B = 1 - (b1 + b2 + b3);
  out.set(src);
  // Rows, forward then backward, started in steady state on the edge value. Four rows run
  // interleaved: each recurrence is a serial chain, so independent rows side by side keep the
  // FPU busy; per row the arithmetic is exactly the one-row recurrence.
  let y = 0;
  for (; y + 4 <= height; y += 4) filterFourRows(out, y * width, width, B, b1, b2, b3);
  for (; y < height; y++) filterRow(out, y * width, width, B, b1, b2, b3);
  // Columns, a whole row of columns at a time.
  const last = (height - 1) * width;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const r1 = y >= 1 ? row - width : 0;
    const r2 = y >= 2 ? row - 2 * width : 0;
    const r3 = y >= 3 ? row - 3 * width : 0;
    for (let x = 0; x < width; x++) out[row + x] = B * out[row + x] + b1 * out[r1 + x] + b2 * out[r2 + x] + b3 * out[r3 + x];
  }
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    const r1 = y + 1 < height ? row + width : last;
    const r2 = y + 2 < height ? row + 2 * width : last;
    const r3 = y + 3 < height ? row + 3 * width : last;
    for (let x = 0; x < width; x++) out[row + x] = B * out[row + x] + b1 * out[r1 + x] + b2 * out[r2 + x] + b3 * out[r3 + x];
  }
  return out;
}

/** Forward then backward recursive pass over one row starting at `row`. */
function filterRow(out: Float32Array, row: number, width: number, B: number, b1: number, b2: number, b3: number): void {
  let w1 = out[row];
  let w2 = w1;
  let w3 = w1;
  for (let x = 0; x < width; x++) {
    const w = B * out[row + x] + b1 * w1 + b2 * w2 + b3 * w3;
    out[row + x] = w;
    w3 = w2;
    w2 = w1;
    w1 = w;
  }
  w1 = w2 = w3 = out[row + width - 1];
  for (let x = width - 1; x >= 0; x--) {
    const w = B * out[row + x] + b1 * w1 + b2 * w2 + b3 * w3;
    out[row + x] = w;
    w3 = w2;
    w2 = w1;
    w1 = w;
  }
}

/** filterRow on the four rows starting at `row`, interleaved. */
function filterFourRows(out: Float32Array, row: number, width: number, B: number, b1: number, b2: number, b3: number): void {
  const r0 = row;
  const r1 = row + width;
  const r2 = r1 + width;
  const r3 = r2 + width;
  let a1 = out[r0], a2 = a1, a3 = a1;
  let c1 = out[r1], c2 = c1, c3 = c1;
  let e1 = out[r2], e2 = e1, e3 = e1;
  let g1 = out[r3], g2 = g1, g3 = g1;
  for (let x = 0; x < width; x++) {
    const a = B * out[r0 + x] + b1 * a1 + b2 * a2 + b3 * a3;
    const c = B * out[r1 + x] + b1 * c1 + b2 * c2 + b3 * c3;
    const e = B * out[r2 + x] + b1 * e1 + b2 * e2 + b3 * e3;
    const g = B * out[r3 + x] + b1 * g1 + b2 * g2 + b3 * g3;
    out[r0 + x] = a;
    out[r1 + x] = c;
    out[r2 + x] = e;
    out[r3 + x] = g;
    a3 = a2; a2 = a1; a1 = a;
    c3 = c2; c2 = c1; c1 = c;
    e3 = e2; e2 = e1; e1 = e;
    g3 = g2; g2 = g1; g1 = g;
  }
  const last = width - 1;
  a1 = a2 = a3 = out[r0 + last];
  c1 = c2 = c3 = out[r1 + last];
  e1 = e2 = e3 = out[r2 + last];
  g1 = g2 = g3 = out[r3 + last];
  for (let x = last; x >= 0; x--) {
    const a = B * out[r0 + x] + b1 * a1 + b2 * a2 + b3 * a3;
    const c = B * out[r1 + x] + b1 * c1 + b2 * c2 + b3 * c3;
    const e = B * out[r2 + x] + b1 * e1 + b2 * e2 + b3 * e3;
    const g = B * out[r3 + x] + b1 * g1 + b2 * g2 + b3 * g3;
    out[r0 + x] = a;
    out[r1 + x] = c;
    out[r2 + x] = e;
    out[r3 + x] = g;
    a3 = a2; a2 = a1; a1 = a;
    c3 = c2; c2 = c1; c1 = c;
    e3 = e2; e2 = e1; e1 = e;
    g3 = g2; g2 = g1; g1 = g;
  }
}
