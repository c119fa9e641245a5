import type { FloatPlane } from '../image/raster';

/** Separable Gaussian blur with edge replication; kernels reach 3 sigma, enough for blob detection. */
export function gaussianBlur(source: FloatPlane, sigma: number): FloatPlane {
  const { width, height, data } = source;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;

  const horizontal = new Float32Array(width * height);
  const taps = kernel.length;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Interior without bounds checks; the few columns near each edge replicate the edge pixel.
    for (let x = radius; x < width - radius; x++) {
      let acc = 0;
      const base = row + x - radius;
      for (let t = 0; t < taps; t++) acc += kernel[t] * data[base + t];
      horizontal[row + x] = acc;
    }
    const leftEnd = Math.min(radius, width);
    for (let x = 0; x < width; x = x + 1 === leftEnd ? Math.max(leftEnd, width - radius) : x + 1) {
      let acc = 0;
      for (let t = -radius; t <= radius; t++) {
        const xx = x + t < 0 ? 0 : x + t >= width ? width - 1 : x + t;
        acc += kernel[t + radius] * data[row + xx];
      }
      horizontal[row + x] = acc;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let t = -radius; t <= radius; t++) {
      const yy = y + t < 0 ? 0 : y + t >= height ? height - 1 : y + t;
      const k = kernel[t + radius];
      const src = yy * width;
      for (let x = 0; x < width; x++) out[row + x] += k * horizontal[src + x];
    }
  }
  return { width, height, data: out };
}

/** Halve a plane by 2x2 averaging (an odd last row or column is dropped): the next pyramid octave. */
export function downsampleByTwo(source: FloatPlane): FloatPlane {
  const width = source.width >> 1;
  const height = source.height >> 1;
  const out = new Float32Array(width * height);
  const src = source.data;
  const sw = source.width;
  for (let y = 0; y < height; y++) {
    const a = 2 * y * sw;
    const b = a + sw;
    for (let x = 0; x < width; x++) {
      const c = 2 * x;
      out[y * width + x] = 0.25 * (src[a + c] + src[a + c + 1] + src[b + c] + src[b + c + 1]);
    }
  }
  return { width, height, data: out };
}

/** Central `width` x `height` window of a plane. */
export function cropCentre(source: FloatPlane, width: number, height: number): FloatPlane {
  if (width === source.width && height === source.height) return source;
  const x0 = (source.width - width) >> 1;
  const y0 = (source.height - height) >> 1;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * source.width + x0;
    out.set(source.data.subarray(from, from + width), y * width);
  }
  return { width, height, data: out };
}

/**
 * Scale-normalised determinant-of-Hessian blob response, sigma^2 * sqrt(det H) where the blurred
 * signal peaks (both curvatures negative), else 0. For a disc of radius r it peaks at
 * sigma = r / sqrt(2) like the LoG, but for an ellipse it selects the geometric mean of the axes
 * (Lindeberg), i.e. the equivalent diameter, and it stays near zero along edges and fibres.
 */
export function normalisedHessianResponse(blurred: FloatPlane, sigma: number): Float32Array {
  const { width, height, data } = blurred;
  const out = new Float32Array(width * height);
  const s2 = sigma * sigma;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const p = row + x;
      const c = 2 * data[p];
      const dxx = data[p - 1] - c + data[p + 1];
      const dyy = data[p - width] - c + data[p + width];
      const dxy = 0.25 * (data[p + width + 1] - data[p + width - 1] - data[p - width + 1] + data[p - width - 1]);
      const det = dxx * dyy - dxy * dxy;
      if (det > 0 && dxx + dyy < 0) out[p] = s2 * Math.sqrt(det);
    }
  }
  return out;
}
