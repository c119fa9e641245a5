import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type PostprocessOptions,
  type Raster,
  type RasterBands,
  type Scoring,
  cellsToCsv,
  cellsToGeoJson,
  cellsToJson,
  type SegMask,
  extractCellsFromMask,
  scoreCells,
  segOverlaidBands,
  segRefinedBands,
  segToMask,
} from '@restain/shared';
import { forEachRowBand, readPngRaster, readVipsHeader, rowBands } from '../image';
import { writePngBands } from '../image/write-png';
import { OUTPUT_FILES, channelFile } from './channel-files';
import { collectGarbage } from './collect-garbage';

/** From this size on, post-processing collects garbage between stages (see collectGarbage). */
const LARGE_IMAGE_PIXELS = 25_000_000;

/** Bytes of RGB rows rendered at a time for SegRefined: the whole image is never held. */
const RENDER_BAND_BYTES = 8 << 20;

/** Where post-processing reads a result's maps from; each is read only when needed. */
export interface ResultMaps {
  /** The Seg image's votes at this threshold (never the whole RGB Seg where avoidable). */
  segMask(segThresh: number): Promise<SegMask>;
  /** Grey, or RGB whose channels are equal; whole or as row bands. */
  marker(): Promise<Raster | RasterBands>;
  /** Grey DAB optical density levels (DAB_OD_LEVELS_PER_UNIT per OD unit); whole or as row bands. */
  dab(): Promise<Raster | RasterBands>;
  /** The IHC image as RGB row bands, top to bottom (a single band when read whole). */
  input(): Promise<Iterable<{ y: number; band: Raster }>>;
}

/** The maps of a published result folder (what `restain rescore` reads). */
export function resultFolderMaps(dir: string, maxPixels: number): ResultMaps {
  const read = (name: string, channels: 1 | 3) => readPngRaster(path.join(dir, name), channels, { maxPixels });
  return {
    segMask: async (segThresh) => segToMask(await read(channelFile('Seg'), 3), segThresh),
    marker: () => read(channelFile('Marker'), 1),
    dab: () => read(OUTPUT_FILES.dab, 1),
    input: async () => [{ y: 0, band: await read(OUTPUT_FILES.input, 3) }],
  };
}

/** A Seg raster file's votes, band by band: 1 byte a pixel instead of the RGB's 3. */
function readSegMask(vPath: string, segThresh: number): SegMask {
  const { width, height } = readVipsHeader(vPath);
  const votes = new Uint8Array(width * height);
  forEachRowBand(vPath, (y, band) => votes.set(segToMask(band, segThresh).votes, y * width));
  return { width, height, votes };
}

/** The maps as raster files of an analysis in progress (no PNG decoding). */
export function rasterFileMaps(files: { seg: string; marker: string; dab: string; input: string }): ResultMaps {
  return {
    segMask: async (segThresh) => readSegMask(files.seg, segThresh),
    // Marker and DAB are only summed per cell: read band by band, never held whole.
    marker: async () => (visit) => void forEachRowBand(files.marker, visit),
    dab: async () => (visit) => void forEachRowBand(files.dab, visit),
    // The overlay is drawn over each band as it is read: the image is never held whole.
    input: async () => rowBands(files.input),
  };
}

export interface PostprocessSummary {
  readonly scoring: Scoring;
  readonly cellCount: number;
}

/**
 * Cells, classes and scores from a result's Seg, Marker and DAB maps, written as SegRefined,
 * SegOverlaid, scoring.json and the per-cell files. `restain analyze` and `restain rescore` both
 * call this, so a re-score equals a fresh analysis with the same thresholds. Maps are read one
 * stage at a time so large images never hold every map at once.
 */
export async function postprocessResult(maps: ResultMaps, targetDir: string, options: PostprocessOptions): Promise<PostprocessSummary> {
  // Inline reads: no map outlives the extraction, so the collector can free them before rendering.
  const extracted = extractCellsFromMask(await maps.segMask(options.segThresh), options, {
    marker: await maps.marker(),
    dabOd: await maps.dab(),
  });
  const { cells, labels, width, height } = extracted;
  const large = width * height > LARGE_IMAGE_PIXELS;
  if (large) collectGarbage();
  const scoring = scoreCells(extracted);
  const rowsPerBand = Math.max(1, Math.floor(RENDER_BAND_BYTES / (3 * width)));
  await Promise.all([
    writePngBands(path.join(targetDir, OUTPUT_FILES.segRefined), width, height, 3, segRefinedBands(width, height, labels, cells, rowsPerBand)),
    writeFile(path.join(targetDir, OUTPUT_FILES.scoring), `${JSON.stringify(scoring, null, 2)}\n`),
    writeFile(path.join(targetDir, OUTPUT_FILES.cells), cellsToJson(cells)),
    writeFile(path.join(targetDir, OUTPUT_FILES.geojson), cellsToGeoJson(cells)),
    writeFile(path.join(targetDir, OUTPUT_FILES.csv), cellsToCsv(cells)),
  ]);
  if (large) collectGarbage();
  const overlaid = segOverlaidBands(await maps.input(), width, height, labels, cells);
  await writePngBands(path.join(targetDir, OUTPUT_FILES.segOverlaid), width, height, 3, overlaid);
  return { scoring, cellCount: cells.length };
}
