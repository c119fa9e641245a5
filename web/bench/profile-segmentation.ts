/**
 * Times each step of a segmentation-threshold move (what the live re-scorer redoes per seg
 * threshold) on a real result in node (V8, as Chromium): segToMask, markBackground,
 * labelComponents, the whole labelSegmentation, contour tracing (done only when cells are
 * exported), and the server's extractCellsFromMask, and checks
 * that the live path gives the server's cells. Usage:
 *   tsx web/bench/profile-segmentation.ts <result dir with Seg.png [Marker.png DAB.png]> [thresholds...]
 */
import path from 'node:path';
import sharp from 'sharp';
import { extractCellsFromMask, labelComponents, markBackground, segToMask } from '@restain/shared';
import { greyFromInterleaved, type ResultPlanes } from '../lib/rescoring/planes';
import { labelSegmentation, traceContours } from '../lib/rescoring/segmentation-stage';
import { selectCells } from '../lib/rescoring/select-cells';

const REPEATS = 7;

async function rgba(file: string): Promise<{ data: Uint8Array; width: number; height: number } | null> {
  try {
    const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    return null;
  }
}

/** This process's CPU time in ms (steadier than wall time on a loaded machine; the steps are single-threaded). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Least CPU time of `run` over REPEATS runs (after one warm-up), in ms: the least disturbed by other load. */
function time(run: () => void): number {
  run();
  const runs: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const t0 = cpuMs();
    run();
    runs.push(cpuMs() - t0);
  }
  return Math.min(...runs);
}

async function main(): Promise<void> {
  const [dir, ...thresholdArgs] = process.argv.slice(2);
  if (!dir) throw new Error('Usage: profile-segmentation.ts <result dir> [thresholds...]');
  const seg = await rgba(path.join(dir, 'Seg.png'));
  if (!seg) throw new Error(`No Seg.png in ${dir}`);
  const [marker, dab] = await Promise.all([rgba(path.join(dir, 'Marker.png')), rgba(path.join(dir, 'DAB.png'))]);
  const { width, height } = seg;
  const planes: ResultPlanes = {
    width, height, seg: seg.data, segChannels: 4,
    marker: marker ? greyFromInterleaved(marker.data, 4) : null,
    dab: dab ? greyFromInterleaved(dab.data, 4) : null,
  };
  const raster = { width, height, channels: 4 as const, data: seg.data };
  const labels = new Int32Array(width * height);
  const thresholds = thresholdArgs.length > 0 ? thresholdArgs.map(Number) : [60, 120, 150, 200];
  process.stdout.write(`${width} x ${height}, least CPU time of ${REPEATS} runs (ms)\n`);
  for (const t of thresholds) {
    const toMask = time(() => segToMask(raster, t));
    const masks: Uint8Array[] = [];
    for (let k = 0; k <= REPEATS; k++) masks.push(segToMask(raster, t).votes);
    const fill = time(() => markBackground(masks.pop() as Uint8Array, width, height, labels));
    const filled = segToMask(raster, t).votes;
    markBackground(filled, width, height, labels);
    let count = 0;
    const label = time(() => (count = labelComponents(filled, width, labels).count));
    const stage = time(() => labelSegmentation(planes, t));
    const labelled = labelSegmentation(planes, t);
    const contours = time(() => traceContours(planes, labelled));
    const options = { segThresh: t, sizeThresh: 'auto' as const, sizeThreshUpper: null, markerThresh: 'auto' as const };
    const extras = { marker: { width, height, channels: 1 as const, data: planes.marker ?? new Uint8Array(width * height) },
      ...(planes.dab ? { dabOd: { width, height, channels: 1 as const, data: planes.dab } } : {}) };
    let server = extractCellsFromMask(segToMask(raster, t), options, extras);
    const serverMs = time(() => (server = extractCellsFromMask(segToMask(raster, t), options, extras)));
    const markerHistogram = new Float64Array(256);
    for (const v of extras.marker.data) markerHistogram[v]++;
    const live = selectCells(labelled, options, markerHistogram, () => traceContours(planes, labelled)).cells;
    const same = JSON.stringify(live) === JSON.stringify(server.cells);
    process.stdout.write(`seg ${String(t).padStart(3)}: segToMask ${toMask.toFixed(1)}  markBackground ${fill.toFixed(1)}  `
      + `labelComponents ${label.toFixed(1)} (${count} components)  labelSegmentation ${stage.toFixed(1)}  traceContours ${contours.toFixed(1)}  `
      + `extractCellsFromMask ${serverMs.toFixed(1)}  live cells = server cells: ${same} (${server.cells.length})\n`);
    if (!same) process.exitCode = 1;
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
