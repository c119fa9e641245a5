import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BOUNDARY_GREEN_THRESH, type Raster, RestainError } from '@restain/shared';
import { RasterFileWriter, VIPS_HEADER_BYTES, readExactly, readVipsHeader } from '../image';

/** Source bytes read per band by default (bounds memory whatever the image size). */
const BAND_SOURCE_BYTES = 16 << 20;

/** Nearest source index of each target index (pixel centres aligned). */
function nearestIndex(target: number, source: number): Int32Array {
  const out = new Int32Array(target);
  for (let i = 0; i < target; i++) out[i] = Math.min(source - 1, Math.floor(((i + 0.5) * source) / target));
  return out;
}

/** A Seg band in source coordinates: rows [y0, y0 + height) of a width-wide RGB map. */
export interface SegBand {
  readonly y0: number;
  readonly raster: Raster;
}

/**
 * Shrinks a Seg map from sw x sh to tw x th, row by row from the top. Each target pixel takes its
 * nearest source pixel, as a nearest-neighbour resize does, except that a cell pixel turns
 * boundary green when it touches an earlier kept cell pixel (left, or any of the three above)
 * and the straight source path between the two leaves the cells (crosses a boundary or background
 * pixel at `segThresh`): two nuclei that touch at the reference scale, split there by a one-pixel
 * green line that the resize would skip, stay two cells, and of each touching pair only the
 * later pixel gives way (a one-pixel line, as in the engines' Seg). Soft values pass unchanged.
 */
export class SegShrinker {
  private readonly xs: Int32Array;
  private readonly ys: Int32Array;
  /** Kept cell pixels of the previous target row and of the current one. */
  private above: Uint8Array;
  private current: Uint8Array;
  private nextRow = 0;

  constructor(
    private readonly sw: number,
    sh: number,
    private readonly tw: number,
    th: number,
    private readonly segThresh: number,
  ) {
    this.xs = nearestIndex(tw, sw);
    this.ys = nearestIndex(th, sh);
    this.above = new Uint8Array(tw);
    this.current = new Uint8Array(tw);
  }

  /** Source rows [first, last] that target rows [ty0, ty1) read (the row above included). */
  sourceRows(ty0: number, ty1: number): { first: number; last: number } {
    return { first: this.ys[Math.max(0, ty0 - 1)], last: this.ys[ty1 - 1] };
  }

  /** The next target rows, up to ty1, from a band holding their `sourceRows`. */
  shrinkRows(band: SegBand, ty1: number): Raster {
    const { xs, ys, sw, tw, segThresh } = this;
    const ty0 = this.nextRow;
    const { first, last } = this.sourceRows(ty0, ty1);
    const { y0, raster } = band;
    if (raster.width !== sw || raster.channels !== 3 || y0 > first || y0 + raster.height <= last) {
      throw new RestainError('INVALID_ARGUMENT', `Expected RGB Seg rows ${first}-${last} of width ${sw} but received ${raster.height} rows from ${y0} of width ${raster.width}`);
    }
    const src = raster.data;
    const at = (x: number, y: number): number => ((y - y0) * sw + x) * 3;
    const isCell = (o: number): boolean => src[o] + src[o + 2] > segThresh && src[o + 1] <= BOUNDARY_GREEN_THRESH;
    const pathLeavesCells = (xa: number, ya: number, xb: number, yb: number): boolean => {
      const dx = xb - xa;
      const dy = yb - ya;
      const steps = Math.max(Math.abs(dx), Math.abs(dy));
      for (let k = 1; k < steps; k++) {
        if (!isCell(at(xa + Math.round((k * dx) / steps), ya + Math.round((k * dy) / steps)))) return true;
      }
      return false;
    };
    const out = new Uint8Array(tw * (ty1 - ty0) * 3);
    for (let ty = ty0; ty < ty1; ty++) {
      const sy = ys[ty];
      const syAbove = ty > 0 ? ys[ty - 1] : -1;
      const { above, current } = this;
      current.fill(0);
      for (let tx = 0; tx < tw; tx++) {
        const sx = xs[tx];
        const s = at(sx, sy);
        const o = ((ty - ty0) * tw + tx) * 3;
        out[o] = src[s];
        out[o + 1] = src[s + 1];
        out[o + 2] = src[s + 2];
        if (!isCell(s)) continue;
        let givesWay = tx > 0 && current[tx - 1] === 1 && pathLeavesCells(sx, sy, xs[tx - 1], sy);
        for (let nx = Math.max(0, tx - 1); !givesWay && syAbove >= 0 && nx <= Math.min(tw - 1, tx + 1); nx++) {
          givesWay = above[nx] === 1 && pathLeavesCells(sx, sy, xs[nx], syAbove);
        }
        if (givesWay) {
          out[o] = 0;
          out[o + 1] = 255;
          out[o + 2] = 0;
        } else {
          current[tx] = 1;
        }
      }
      this.above = current;
      this.current = above;
    }
    this.nextRow = ty1;
    return { width: tw, height: ty1 - ty0, channels: 3, data: out };
  }
}

/** A whole Seg raster shrunk to width x height (see SegShrinker). */
export function shrinkSeg(seg: Raster, width: number, height: number, segThresh: number): Raster {
  return new SegShrinker(seg.width, seg.height, width, height, segThresh).shrinkRows({ y0: 0, raster: seg }, height);
}

/**
 * Shrink a reference-scale Seg .v file to the input's size (width x height, each at most the
 * source's) with `SegShrinker`, band by band with bounded memory, yielding to the event loop
 * between bands.
 */
export async function shrinkSegFile(srcV: string, dstV: string, width: number, height: number, segThresh: number,
  { bandSourceBytes = BAND_SOURCE_BYTES }: { bandSourceBytes?: number } = {}): Promise<void> {
  const { width: sw, height: sh, channels } = readVipsHeader(srcV);
  if (channels !== 3) throw new RestainError('INVALID_ARGUMENT', `Expected an RGB Seg file but ${path.basename(srcV)} has ${channels} channel(s)`);
  if (width > sw || height > sh) {
    throw new RestainError('INVALID_ARGUMENT', `shrinkSegFile makes ${sw}x${sh} px smaller but was asked for ${width}x${height} px`);
  }
  const shrinker = new SegShrinker(sw, sh, width, height, segThresh);
  const rowBytes = sw * 3;
  const rowsPerBand = Math.max(1, Math.floor(bandSourceBytes / rowBytes / Math.max(1, sh / height)));
  const fd = fs.openSync(srcV, 'r');
  let writer: RasterFileWriter | null = null;
  try {
    writer = RasterFileWriter.create(dstV, width, height, 3, 0);
    for (let ty0 = 0; ty0 < height; ty0 += rowsPerBand) {
      const ty1 = Math.min(height, ty0 + rowsPerBand);
      const { first, last } = shrinker.sourceRows(ty0, ty1);
      const data = new Uint8Array((last - first + 1) * rowBytes);
      readExactly(fd, data, VIPS_HEADER_BYTES + first * rowBytes, path.basename(srcV));
      const band = { y0: first, raster: { width: sw, height: last - first + 1, channels: 3 as const, data } };
      writer.writeRegion(0, ty0, shrinker.shrinkRows(band, ty1));
      await nextTurn();
    }
  } finally {
    fs.closeSync(fd);
    writer?.close();
  }
}
