/** A display window over grey levels: low maps to black, high to full colour, linear between. */
export interface ChannelWindow {
  readonly low: number;
  readonly high: number;
}

/** Multiplex channels, in compositing order. */
export const CHANNELS = ['DAPI', 'Lap2', 'Marker'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Default colours (DAPI blue, Lap2 green, Marker red), RGB 0..255. */
export const DEFAULT_COLOURS: Record<ChannelName, readonly [number, number, number]> = {
  DAPI: [0, 96, 255],
  Lap2: [0, 255, 0],
  Marker: [255, 0, 0],
};

/** Move one handle, keeping low < high inside 0..255 (the other handle is pushed along). */
export function moveHandle(window: ChannelWindow, handle: 'low' | 'high', value: number): ChannelWindow {
  const v = Math.min(255, Math.max(0, Math.round(value)));
  if (handle === 'low') {
    const low = Math.min(v, 254);
    return { low, high: Math.max(window.high, low + 1) };
  }
  const high = Math.max(v, 1);
  return { low: Math.min(window.low, high - 1), high };
}

/** Grey level -> intensity 0..255 through the window. */
export function windowLut(window: ChannelWindow): Uint8Array {
  const lut = new Uint8Array(256);
  const span = window.high - window.low;
  for (let v = 0; v < 256; v++) lut[v] = v <= window.low ? 0 : v >= window.high ? 255 : Math.round(((v - window.low) * 255) / span);
  return lut;
}

/**
 * A starting window from the histogram: the 0.5th to 99.5th percentile of the non-zero levels
 * (zero is background in the inferred channels), so faint channels are visible at once.
 */
export function autoWindow(hist: ArrayLike<number>): ChannelWindow {
  let total = 0;
  for (let v = 1; v < 256; v++) total += hist[v];
  if (total === 0) return { low: 0, high: 255 };
  const at = (fraction: number): number => {
    let seen = 0;
    for (let v = 1; v < 256; v++) {
      seen += hist[v];
      if (seen >= fraction * total) return v;
    }
    return 255;
  };
  const low = Math.max(0, at(0.005) - 1);
  return { low, high: Math.max(low + 1, at(0.995)) };
}

export interface CompositeLayer {
  readonly plane: Uint8Array;
  readonly window: ChannelWindow;
  readonly colour: readonly [number, number, number];
}

/** Additive composite of the layers into opaque RGBA words (channels saturate at 255). */
export function compositeAdditive(layers: readonly CompositeLayer[], out: Uint32Array): void {
  const tables = layers.map(({ window, colour }) => {
    const lut = windowLut(window);
    return [0, 1, 2].map((k) => Uint16Array.from(lut, (v) => Math.round((v * colour[k]) / 255)));
  });
  const n = out.length;
  if (layers.length === 0) {
    out.fill(0xff000000);
    return;
  }
  for (let i = 0; i < n; i++) {
    let r = 0, g = 0, b = 0;
    for (let l = 0; l < layers.length; l++) {
      const v = layers[l].plane[i];
      const t = tables[l];
      r += t[0][v];
      g += t[1][v];
      b += t[2][v];
    }
    out[i] = 0xff000000 | ((b > 255 ? 255 : b) << 16) | ((g > 255 ? 255 : g) << 8) | (r > 255 ? 255 : r);
  }
}

/** SVG path (area under a log-scaled histogram) in a width x height box, level 0 at the left. */
export function histogramPath(hist: ArrayLike<number>, width: number, height: number): string {
  let max = 0;
  for (let v = 0; v < 256; v++) max = Math.max(max, Math.log1p(hist[v]));
  const parts = [`M0 ${height}`];
  for (let v = 0; v < 256; v++) {
    const y = max === 0 ? height : height - (Math.log1p(hist[v]) / max) * height;
    parts.push(`L${((v + 0.5) * width / 256).toFixed(1)} ${y.toFixed(1)}`);
  }
  parts.push(`L${width} ${height}Z`);
  return parts.join(' ');
}
