/** Decoded result maps a live re-score needs, one byte (or RGBA) per pixel, row-major. */
export interface ResultPlanes {
  readonly width: number;
  readonly height: number;
  /** Seg.png as RGB or RGBA (what getImageData gives): red positive, blue negative, green boundary. */
  readonly seg: Uint8Array;
  readonly segChannels: 3 | 4;
  /** Marker grey levels (max over the colour channels, as the server reads a grey-replicated Marker.png). */
  readonly marker: Uint8Array | null;
  /** DAB optical density levels (DAB.png grey). */
  readonly dab: Uint8Array | null;
}

/** One grey level per pixel from interleaved RGB(A): the max over R, G, B (alpha ignored). */
export function greyFromInterleaved(data: Uint8Array | Uint8ClampedArray, channels: number): Uint8Array {
  const n = Math.floor(data.length / channels);
  const grey = new Uint8Array(n);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    const r = data[p], g = data[p + 1], b = data[p + 2];
    grey[i] = r > g ? (r > b ? r : b) : g > b ? g : b;
  }
  return grey;
}

/** 256-bin histogram of a grey plane. */
export function histogram256(grey: Uint8Array): Float64Array {
  const hist = new Float64Array(256);
  for (let i = 0; i < grey.length; i++) hist[grey[i]]++;
  return hist;
}
