import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type PostprocessOptions,
  type Raster,
  type Scoring,
  cellsToCsv,
  cellsToGeoJson,
  cellsToJson,
  extractCells,
  renderSegOverlaid,
  renderSegRefined,
  scoreCells,
} from '@restain/shared';
import { readPngRaster, readRasterFile } from '../image';
import { writePngRaster } from '../image/write-png';
import { OUTPUT_FILES, channelFile } from './channel-files';

/** Where post-processing reads a result's maps from; each is read only when needed. */
export interface ResultMaps {
  seg(): Promise<Raster>;
  /** Grey (1 channel). */
  marker(): Promise<Raster>;
  /** Grey DAB optical density levels (DAB_OD_LEVELS_PER_UNIT per OD unit). */
  dab(): Promise<Raster>;
  input(): Promise<Raster>;
}

/** The maps of a published result folder (what `restain rescore` reads). */
export function resultFolderMaps(dir: string): ResultMaps {
  return {
    seg: () => readPngRaster(path.join(dir, channelFile('Seg')), 3),
    marker: () => readPngRaster(path.join(dir, channelFile('Marker')), 1),
    dab: () => readPngRaster(path.join(dir, OUTPUT_FILES.dab), 1),
    input: () => readPngRaster(path.join(dir, OUTPUT_FILES.input), 3),
  };
}

/** The maps as raster files of an analysis in progress (no PNG decoding). */
export function rasterFileMaps(files: { seg: string; marker: string; dab: string; input: string }): ResultMaps {
  return {
    seg: () => readRasterFile(files.seg),
    marker: () => readRasterFile(files.marker, { band: 0 }),
    dab: () => readRasterFile(files.dab),
    input: () => readRasterFile(files.input),
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
  const extracted = extractCells(await maps.seg(), options, { marker: await maps.marker(), dabOd: await maps.dab() });
  const { cells, labels, width, height } = extracted;
  const scoring = scoreCells(extracted);
  await Promise.all([
    writePngRaster(renderSegRefined(width, height, labels, cells), path.join(targetDir, OUTPUT_FILES.segRefined)),
    writeFile(path.join(targetDir, OUTPUT_FILES.scoring), `${JSON.stringify(scoring, null, 2)}\n`),
    writeFile(path.join(targetDir, OUTPUT_FILES.cells), cellsToJson(cells)),
    writeFile(path.join(targetDir, OUTPUT_FILES.geojson), cellsToGeoJson(cells)),
    writeFile(path.join(targetDir, OUTPUT_FILES.csv), cellsToCsv(cells)),
  ]);
  await writePngRaster(renderSegOverlaid(await maps.input(), labels, cells, { inPlace: true }), path.join(targetDir, OUTPUT_FILES.segOverlaid));
  return { scoring, cellCount: cells.length };
}
