/**
 * Gaussian blur of a float plane, sigma in pixels (sigma <= 0 copies). Small sigmas (< 2) use an
 * exact separable kernel (radius 3 sigma); larger ones the recursive filter of Young & van Vliet
 * (1995), whose cost does not grow with sigma. Edges replicate the border value.
 */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return Float32Array.from(src);
  return sigma < 2 ? kernelBlur(src, width, height, sigma) : recursiveBlur(src, width, height, sigma);
}

function kernelBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const taps = radius * 2 + 1;
  const kernel = new Float32Array(taps);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < taps; i++) kernel[i] /= sum;
  const tmp = new Float32Array(width * height);
  const line = new Float32Array(width + 2 * radius);
  // Rows: each copied into a padded line (edge values repeated) so the inner loop has no branches.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = 0; i < radius; i++) {
      line[i] = src[row];
      line[radius + width + i] = src[row + width - 1];
    }
    for (let x = 0; x < width; x++) line[radius + x] = src[row + x];
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += line[x + k] * kernel[k];
      tmp[row + x] = acc;
    }
  }
  // Columns: accumulate whole rows at a time (row-major, cache friendly).
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = -radius; k <= radius; k++) {
      const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
      const weight = kernel[k + radius];
      const from = yy * width;
      for (let x = 0; x < width; x++) out[row + x] += tmp[from + x] * weight;
    }
  }
  return out;
}

function recursiveBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const q = sigma >= 2.5 ? 0.98711 * sigma - 0.9633 : 3.97156 - 4.14554 * Math.sqrt(1 - 0.26891 * sigma);
  const q2 = q * q;
  const q3 = q2 * q;
  const b0 = 1.57825 + 2.44413 * q + 1.4281 * q2 + 0.422205 * q3;
  const b1 = (2.44413 * q + 2.85619 * q2 + 1.26661 * q3) / b0;
  const b2 = -(1.4281 * q2 + 1.26661 * q3) / b0;
  const b3 = (0.422205 * q3) / b0;
  const B = 1 - (b1 + b2 + b3);
  const out = Float32Array.from(src);
  // Rows, forward then backward, started in steady state on the edge value.
  for (let y = 0; y < height; y++) {
    const row = y * width;
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
