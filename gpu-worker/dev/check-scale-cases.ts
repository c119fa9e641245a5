/**
 * The scale check's images with their truth (dev only; reads /work/shared/data): DeepLIIF tiles
 * (masks) and their 20x / 10x / 80x resamplings, ki67-outlines (polygons), bcdata (points: a
 * range) and its x0.5 / x1.4 / x2 resamplings, both re-stained as other labs' slides would be, DeepLIIF
 * large ROIs (40x, no masks) and synthetic fields of known nucleus size.
 */
import sharp from 'sharp';
import { DEFAULT_HDAB_VECTORS, type Raster, invert3x3, normaliseStainVector, pickScaleSampleRegion, stainMatrix } from '@restain/shared';
import { renderNucleiFixture } from '../../shared/test/scale/render-nuclei-fixture';
import { DATA_ROOT, measureMaskDiameters, median, readMeanNearestNeighbour, readOutlineDiameters, readRgb } from './check-scale-truth';

export interface ScaleCase {
  readonly name: string;
  readonly truth: string;
  /** Diameter the ratio column divides by, px. */
  readonly expected: number;
  /** Accepted estimates, px. */
  readonly low: number;
  readonly high: number;
  readonly image: Raster;
}

export const TOLERANCE = 0.2;
const PANEL = 512;
/** Typical nucleus of the large ROIs measured by eye (lymphocytes), px. */
const LARGE_ROI_VISUAL_DIAMETER_PX = 19;

function exact(name: string, image: Raster, diameter: number, note = ''): ScaleCase {
  return { name, truth: `${diameter.toFixed(1)}${note}`, expected: diameter, low: diameter * (1 - TOLERANCE), high: diameter * (1 + TOLERANCE), image };
}

async function resized(image: Raster, factor: number): Promise<Raster> {
  const { data, info } = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(Math.round(image.width * factor), Math.round(image.height * factor), { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

export async function deepliifCases(withResamplings: boolean): Promise<ScaleCase[]> {
  const tiles = [
    { name: 'deepliif test 22_2', ihc: 'test-ihc/22_2.png', gt: 'test-groundtruth/22_2.png', paired: false },
    { name: 'deepliif test 34_3', ihc: 'test-ihc/34_3.png', gt: 'test-groundtruth/34_3.png', paired: false },
    { name: 'deepliif Lung1', ihc: 'paired/Lung1.png', gt: 'paired/Lung1.png', paired: true },
    { name: 'deepliif Bladder1', ihc: 'paired/Bladder1.png', gt: 'paired/Bladder1.png', paired: true },
  ];
  const out: ScaleCase[] = [];
  for (const tile of tiles) {
    const image = await readRgb(`${DATA_ROOT}/deepliif-sample/${tile.ihc}`, tile.paired ? { x: 0, y: 0, width: PANEL, height: PANEL } : undefined);
    const gt = await readRgb(`${DATA_ROOT}/deepliif-sample/${tile.gt}`, tile.paired ? { x: 5 * PANEL, y: 0, width: PANEL, height: PANEL } : undefined);
    const truth = median(measureMaskDiameters(gt).interior);
    out.push(exact(tile.name, image, truth));
    if (!withResamplings) continue;
    // The same tile as a 20x and a 10x scan would show it, and at 80x: the estimate must follow.
    for (const factor of [0.5, 0.25, 2]) out.push(exact(`${tile.name} x${factor}`, await resized(image, factor), truth * factor));
  }
  return out;
}

/** Other labs' staining: stain colours and strengths a scanner or protocol may change (OD directions are unmixed as Ruifrok & Johnston's). */
const RESTAININGS: ReadonlyArray<{ name: string; hematoxylin?: number[]; dab?: number[]; hematoxylinStrength?: number; dabStrength?: number }> = [
  { name: 'bluer hematoxylin', hematoxylin: [0.75, 0.62, 0.22] },
  { name: 'purpler hematoxylin', hematoxylin: [0.55, 0.78, 0.3] },
  { name: 'redder DAB', dab: [0.2, 0.62, 0.76] },
  { name: 'yellower DAB', dab: [0.22, 0.45, 0.87] },
  { name: 'stronger stains', hematoxylinStrength: 1.4, dabStrength: 1.4 },
  { name: 'paler stains', hematoxylinStrength: 0.65, dabStrength: 0.65 },
  { name: 'weaker DAB', dabStrength: 0.6 },
];

/** The image with its hematoxylin and DAB unmixed and rendered again with other stain colours and strengths (Beer-Lambert). */
function restained(image: Raster, change: (typeof RESTAININGS)[number]): Raster {
  const unmix = invert3x3(stainMatrix(DEFAULT_HDAB_VECTORS));
  const mix = stainMatrix({
    hematoxylin: normaliseStainVector(change.hematoxylin ?? DEFAULT_HDAB_VECTORS.hematoxylin),
    dab: normaliseStainVector(change.dab ?? DEFAULT_HDAB_VECTORS.dab),
  });
  const strength = [change.hematoxylinStrength ?? 1, change.dabStrength ?? 1, 1];
  const out = new Uint8Array(image.data.length);
  for (let p = 0; p < image.data.length; p += 3) {
    const od = [0, 1, 2].map((c) => -Math.log((image.data[p + c] + 1) / 256));
    const amount = [0, 1, 2].map((s) => strength[s] * (od[0] * unmix[s] + od[1] * unmix[3 + s] + od[2] * unmix[6 + s]));
    for (let c = 0; c < 3; c++) {
      const value = 256 * Math.exp(-(amount[0] * mix[c] + amount[1] * mix[3 + c] + amount[2] * mix[6 + c])) - 1;
      out[p + c] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { ...image, data: out };
}

/** Each case again under every re-staining, with the same truth: the tissue's nuclei did not change size. */
function restainedCases(cases: readonly ScaleCase[]): ScaleCase[] {
  return cases.flatMap((c) => RESTAININGS.map((change) => ({ ...c, name: `${c.name}, ${change.name}`, image: restained(c.image, change) })));
}

export async function ki67OutlineCases(): Promise<ScaleCase[]> {
  const out: ScaleCase[] = [];
  for (const id of ['1309620_A2_27', '1309620_A2_28', '1329941_B3_25', '1329941_B3_26', '8682421_A3_26']) {
    const file = `${DATA_ROOT}/ki67-outlines/${id}.jpg`;
    const meta = await sharp(file).metadata();
    const region = pickScaleSampleRegion(meta.width ?? 0, meta.height ?? 0);
    const cells = `${DATA_ROOT}/ki67-outlines/${id}.cells.json`;
    const inRegion = await readOutlineDiameters(cells, region);
    const whole = await readOutlineDiameters(cells, { x: 0, y: 0, width: Number.MAX_SAFE_INTEGER, height: Number.MAX_SAFE_INTEGER });
    out.push(exact(`ki67-outlines ${id}`, await readRgb(file, region), median(inRegion), ` (n=${inRegion.length}, whole ${median(whole).toFixed(1)})`));
  }
  return out;
}

export async function bcdataCases(): Promise<ScaleCase[]> {
  const out: ScaleCase[] = [];
  for (let id = 0; id < 6; id++) {
    const nn = await readMeanNearestNeighbour(`${DATA_ROOT}/bcdata-sample/${id}.points.json`);
    // Stated range 25-40 px; nuclei rarely sit closer than a diameter, so the mean nearest-neighbour
    // distance also bounds the typical diameter from above.
    const high = Math.min(40, nn.meanNearestPx) * (1 + TOLERANCE);
    const image = await readRgb(`${DATA_ROOT}/bcdata-sample/${id}.png`);
    out.push({ name: `bcdata ${id}`, truth: `25-40, mean NN ${nn.meanNearestPx.toFixed(1)} (n=${nn.count})`, expected: 32.5, low: 25 * (1 - TOLERANCE), high, image });
    // Other scanners and camera objectives: the same tissue at half and at 1.4x / 2x the size.
    for (const factor of [0.5, 1.4, 2]) {
      out.push({
        name: `bcdata ${id} x${factor}`,
        truth: `${(25 * factor).toFixed(0)}-${(40 * factor).toFixed(0)}`,
        expected: 32.5 * factor,
        low: 25 * factor * (1 - TOLERANCE),
        high: high * factor,
        image: await resized(image, factor),
      });
    }
  }
  return out;
}

export async function largeRoiCases(): Promise<ScaleCase[]> {
  const out: ScaleCase[] = [];
  for (const id of ['ROI_1', 'ROI_7']) {
    const image = await readRgb(`${DATA_ROOT}/deepliif-sample/large-roi/${id}.png`);
    // 40x like the DeepLIIF tiles but lymphocyte-rich, no masks: nuclei measured by eye on a 10 px
    // grid (ROI_1 crop at 600,60: 16-22 px) are smaller than the reference's 28 px.
    out.push({ ...exact(`large-roi ${id}`, image, LARGE_ROI_VISUAL_DIAMETER_PX, ' (by eye 16-22)'), low: 16 * (1 - TOLERANCE), high: 22 * (1 + TOLERANCE) });
  }
  return out;
}

export function syntheticCases(): ScaleCase[] {
  const out: ScaleCase[] = [];
  const cases = [
    { d: 7, size: 512 },
    { d: 14, size: 512 },
    { d: 28, size: 768 },
    { d: 56, size: 1024 },
    { d: 110, size: 1600 },
  ];
  for (const c of cases) {
    for (const coverage of [0.15, 0.45]) {
      const fixture = renderNucleiFixture({ width: c.size, height: c.size, diameterPx: c.d, coverage, seed: c.d * 7 + Math.round(coverage * 100) });
      out.push(exact(`synthetic d=${c.d} cover ${coverage}`, fixture.image, median(fixture.diameters), ` (n=${fixture.diameters.length})`));
    }
  }
  return out;
}

export async function allScaleCases(): Promise<ScaleCase[]> {
  const deepliif = await deepliifCases(true);
  const bcdata = await bcdataCases();
  // Re-stained: the DeepLIIF test tiles and the bcdata tiles as scanned (not their resamplings).
  const asScanned = [...deepliif.filter((c) => /^deepliif test \S+$/.test(c.name)), ...bcdata.filter((c) => /^bcdata \d$/.test(c.name))];
  return [
    ...deepliif,
    ...(await ki67OutlineCases()),
    ...bcdata,
    ...restainedCases(asScanned),
    ...(await largeRoiCases()),
    ...syntheticCases(),
  ];
}
