import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type PostprocessOptions,
  type Scoring,
  cellsToCsv,
  cellsToGeoJson,
  cellsToJson,
  extractCells,
  renderSegOverlaid,
  renderSegRefined,
  scoreCells,
} from '@restain/shared';
import { readPngRaster } from '../image';
import { writePngRaster } from '../image/write-png';
import { OUTPUT_FILES, channelFile } from './channel-files';

export interface PostprocessSummary {
  readonly scoring: Scoring;
  readonly cellCount: number;
}

/**
 * Cells, classes and scores from a result's Seg, Marker and DAB maps, written as SegRefined,
 * SegOverlaid, scoring.json and the per-cell files. `restain analyze` and `restain rescore` both
 * call this, so a re-score equals a fresh analysis with the same thresholds.
 */
export async function postprocessResult(sourceDir: string, targetDir: string, options: PostprocessOptions): Promise<PostprocessSummary> {
  const extracted = await (async () => {
    const seg = await readPngRaster(path.join(sourceDir, channelFile('Seg')), 3);
    const marker = await readPngRaster(path.join(sourceDir, channelFile('Marker')), 1);
    const dabOd = await readPngRaster(path.join(sourceDir, OUTPUT_FILES.dab), 1);
    return extractCells(seg, options, { marker, dabOd });
  })();
  const { cells, labels } = extracted;
  const input = await readPngRaster(path.join(sourceDir, OUTPUT_FILES.input), 3);
  await writePngRaster(renderSegRefined(input.width, input.height, labels, cells), path.join(targetDir, OUTPUT_FILES.segRefined));
  await writePngRaster(renderSegOverlaid(input, labels, cells), path.join(targetDir, OUTPUT_FILES.segOverlaid));
  const scoring = scoreCells(extracted);
  await writeFile(path.join(targetDir, OUTPUT_FILES.scoring), `${JSON.stringify(scoring, null, 2)}\n`);
  await writeFile(path.join(targetDir, OUTPUT_FILES.cells), cellsToJson(cells));
  await writeFile(path.join(targetDir, OUTPUT_FILES.geojson), cellsToGeoJson(cells));
  await writeFile(path.join(targetDir, OUTPUT_FILES.csv), cellsToCsv(cells));
  return { scoring, cellCount: cells.length };
}
