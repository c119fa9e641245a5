import type { PlatformConfig } from './api-types';
import { formatBytes } from './format';
import { type ImageFormat, readImageHeader } from './image-header';

/** The server's smallest accepted edge (gpu-worker MIN_IMAGE_EDGE). */
export const MIN_IMAGE_EDGE = 16;
/** Bytes read from each file for the checks: enough for every header but rare TIFF layouts. */
export const HEADER_BYTES = 64 * 1024;

export type UploadLimits = Pick<PlatformConfig, 'maxUploadBytes' | 'jobMaxPixels'>;

export type UploadCheck =
  | { readonly ok: true; readonly format: ImageFormat; readonly width: number | null; readonly height: number | null }
  | { readonly ok: false; readonly message: string };

function megapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0)} megapixels`;
}

/**
 * The browser-side checks before an upload: size against the server's limit, format by content
 * (PNG, JPEG, TIFF, WebP), and pixels from the header against the job pixel limit. The server
 * repeats every check; these only save the user a wasted upload and say what to do.
 */
export function checkUpload(file: { readonly name: string; readonly size: number }, head: Uint8Array, limits: UploadLimits): UploadCheck {
  if (file.size === 0) return { ok: false, message: `${file.name} is empty (0 bytes).` };
  if (file.size > limits.maxUploadBytes) {
    return { ok: false, message: `${file.name} is ${formatBytes(file.size)}; this server accepts files up to ${formatBytes(limits.maxUploadBytes)}.` };
  }
  const header = readImageHeader(head);
  if (header.kind === 'other') return { ok: false, message: `${file.name} is not a supported image: ${header.description}. Use PNG, JPEG, TIFF or WebP.` };
  const { width, height } = header;
  if (width !== null && height !== null) {
    if (width < MIN_IMAGE_EDGE || height < MIN_IMAGE_EDGE) {
      return { ok: false, message: `${file.name} is ${width} × ${height} pixels; images need at least ${MIN_IMAGE_EDGE} pixels on each side.` };
    }
    if (width * height > limits.jobMaxPixels) {
      return {
        ok: false,
        message: `${file.name} is ${width} × ${height} pixels (${megapixels(width * height)}); this server analyses up to ${megapixels(limits.jobMaxPixels)}. Crop or downscale it first.`,
      };
    }
  }
  return { ok: true, format: header.format, width, height };
}
