import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { RestainError, collectBytes, estimateBackgroundIntensity, estimateStainVectors, isRestainError } from '@restain/shared';
import {
  type NormalizedImage,
  RasterFileWriter,
  openImage,
  postprocessResult,
  rasterFileMaps,
  readRegion,
  writeDabMap,
} from '@restain/gpu-worker';
import type { UploadedFile } from '../../uploads/read-multipart';
import { sanitizeDisplayName } from '../../uploads/sanitize-display-name';
import { renamed } from '../../uploads/validate-upload';
import type { ApiResponse } from '../http-types';
import type { RouteHandler } from '../route-types';
import { parseDeepliifQuery } from './deepliif-params';
import { deepliifJson } from './deepliif-response';
import { readDeepliifForm, requireFile } from './deepliif-submit';

/** Edge of the central sample the stain vectors (for the DAB map) are estimated from. */
const STAIN_SAMPLE_PX = 1024;

/** Decode and validate one uploaded file; errors name the form field and the file. */
async function openUpload(file: UploadedFile, field: string, workDir: string, maxPixels: number): Promise<NormalizedImage> {
  try {
    return await openImage(file.path, { workDir, maxPixels });
  } catch (error) {
    if (!isRestainError(error)) throw error;
    throw renamed(error, path.basename(file.path), `${field} (${sanitizeDisplayName(file.filename)})`);
  }
}

/** DAB optical density of the original image, for per-cell intensity and the H-score. */
async function writeDab(image: NormalizedImage, dabPath: string): Promise<void> {
  const w = Math.min(image.width, STAIN_SAMPLE_PX);
  const h = Math.min(image.height, STAIN_SAMPLE_PX);
  const sample = await readRegion(image.path, { x: Math.floor((image.width - w) / 2), y: Math.floor((image.height - h) / 2), width: w, height: h });
  const background = estimateBackgroundIntensity(sample);
  const { stains } = estimateStainVectors(sample, background);
  await writeDabMap(image.path, image.width, image.height, { stains, background }, dabPath);
}

function checkSameSize(image: NormalizedImage, other: NormalizedImage, field: string): void {
  if (other.width !== image.width || other.height !== image.height) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${field} to be ${image.width}x${image.height} px like img but received ${other.width}x${other.height} px`);
  }
}

/**
 * POST /api/postprocess (DeepLIIF): files `img` (the original), `seg_img` (a Seg image DeepLIIF
 * or Restain inferred) and optionally `marker_img`, with the threshold query parameters.
 * Re-scored here, in the request (no queue), by the same post-processing as every analysis;
 * answers `{images: {SegOverlaid, SegRefined}, scoring}` (`slim`: SegRefined only). Each file is
 * held to config.syncMaxPixels. Without marker_img the marker plays no part (marker_thresh none).
 */
export const deepliifPostprocess: RouteHandler = async (request, context): Promise<ApiResponse> => {
  const params = parseDeepliifQuery(request.query);
  const form = await readDeepliifForm(request, context);
  const workDir = await mkdtemp(path.join(context.config.tempDir, 'postprocess-'));
  try {
    const maxPixels = context.config.syncMaxPixels;
    const imgFile = requireFile(form, 'img');
    const segFile = requireFile(form, 'seg_img');
    const image = await openUpload(imgFile, 'img', path.join(workDir, 'img'), maxPixels);
    const seg = await openUpload(segFile, 'seg_img', path.join(workDir, 'seg'), maxPixels);
    checkSameSize(image, seg, 'seg_img');
    const markerFile = form.files.marker_img;
    const marker = markerFile ? await openUpload(markerFile, 'marker_img', path.join(workDir, 'marker'), maxPixels) : undefined;
    if (marker) checkSameSize(image, marker, 'marker_img');
    let markerPath = marker?.path;
    if (!markerPath) {
      // An all-zero marker: no cell is positive by marker (and marker_thresh is forced to none).
      markerPath = path.join(workDir, 'marker-none.v');
      RasterFileWriter.create(markerPath, image.width, image.height, 1, 0).close();
    }
    const dabPath = path.join(workDir, 'dab.v');
    await writeDab(image, dabPath);
    const outDir = path.join(workDir, 'out');
    await mkdir(outDir);
    const postprocess = marker ? params.postprocess : { ...params.postprocess, markerThresh: 'none' as const };
    const maps = rasterFileMaps({ seg: seg.path, marker: markerPath, dab: dabPath, input: image.path });
    const { scoring } = await postprocessResult(maps, outDir, postprocess);
    const names = params.slim ? ['SegRefined'] : ['SegOverlaid', 'SegRefined'];
    const images = names.map((name) => ({ name, open: async () => createReadStream(path.join(outDir, `${name}.png`)) }));
    // Collected before the temporary files go; sync-sized images keep this to tens of MB.
    const body = await collectBytes(deepliifJson(images, scoring));
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body };
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await form.cleanup();
  }
};
