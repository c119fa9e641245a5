/**
 * Measures the 40x reference nucleus diameter from the DeepLIIF ground truth (dev only):
 * `npx tsx gpu-worker/dev/check-scale-reference.ts`. Its median feeds REFERENCE_NUCLEUS_DIAMETER_PX.
 */
import { DATA_ROOT, measureMaskDiameters, median, readRgb } from './check-scale-truth';

const MASKS: ReadonlyArray<{ name: string; file: string; crop?: { x: number; y: number; width: number; height: number } }> = [
  { name: 'test-groundtruth/22_2', file: `${DATA_ROOT}/deepliif-sample/test-groundtruth/22_2.png` },
  { name: 'test-groundtruth/34_3', file: `${DATA_ROOT}/deepliif-sample/test-groundtruth/34_3.png` },
  { name: 'paired/Lung1 panel 6', file: `${DATA_ROOT}/deepliif-sample/paired/Lung1.png`, crop: { x: 2560, y: 0, width: 512, height: 512 } },
  { name: 'paired/Bladder1 panel 6', file: `${DATA_ROOT}/deepliif-sample/paired/Bladder1.png`, crop: { x: 2560, y: 0, width: 512, height: 512 } },
];

async function main(): Promise<void> {
  const all: number[] = [];
  const allWithBoundary: number[] = [];
  for (const mask of MASKS) {
    const d = measureMaskDiameters(await readRgb(mask.file, mask.crop));
    all.push(...d.interior);
    allWithBoundary.push(...d.withBoundary);
    console.log(`${mask.name.padEnd(26)} cells ${String(d.interior.length).padStart(4)}  median fill ${median(d.interior).toFixed(2)} px  with half boundary ${median(d.withBoundary).toFixed(2)} px`);
  }
  console.log(`${'pooled'.padEnd(26)} cells ${String(all.length).padStart(4)}  median fill ${median(all).toFixed(2)} px  with half boundary ${median(allWithBoundary).toFixed(2)} px`);
}

void main();
