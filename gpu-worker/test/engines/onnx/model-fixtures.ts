import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Raster } from '@restain/shared';

/** A fresh temporary folder per test; removed by the returned cleanup. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'restain-onnx-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** 16 x 16 RGB tile in which every channel takes all 256 byte values. */
export function gradientTile(size = 16): Raster {
  const pixels = size * size;
  const data = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    data[3 * i] = i % 256;
    data[3 * i + 1] = (i * 7 + 3) % 256;
    data[3 * i + 2] = (i * 13 + 101) % 256;
  }
  return { width: size, height: size, channels: 3, data };
}

export function constantTile(size: number, rgb: readonly [number, number, number]): Raster {
  const data = new Uint8Array(size * size * 3);
  for (let o = 0; o < data.length; o += 3) data.set(rgb, o);
  return { width: size, height: size, channels: 3, data };
}

/** Byte v -> DeepLIIF's network input v/127.5 - 1. */
export const normalise = (v: number): number => v / 127.5 - 1;

/**
 * Expected bytes for float64 reference outputs `y` (tanh scaling, nearest rounding). Samples whose
 * value lies within 1e-3 of a rounding boundary may legitimately land either side in float32:
 * they are returned in `ambiguous` and accept both neighbours.
 */
export function expectBytes(actual: Uint8Array, reference: Float64Array): { mismatches: number; ambiguous: number } {
  let mismatches = 0;
  let ambiguous = 0;
  for (let i = 0; i < reference.length; i++) {
    const v = Math.min(255, Math.max(0, reference[i] * 127.5 + 127.5));
    const nearBoundary = Math.abs((v % 1) - 0.5) < 1e-3;
    const want = Math.floor(v + 0.5);
    if (nearBoundary) {
      ambiguous++;
      if (Math.abs(actual[i] - v) > 0.51) mismatches++;
    } else if (actual[i] !== want) mismatches++;
  }
  return { mismatches, ambiguous };
}
