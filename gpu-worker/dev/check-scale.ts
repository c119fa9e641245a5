/**
 * Checks the automatic nucleus-scale estimate against truth (dev only; reads /work/shared/data):
 * `npx tsx gpu-worker/dev/check-scale.ts`. Prints estimated vs true diameter per image and the
 * time per 1024 x 1024 sample; every real image should land within +-20 %, and re-staining the same
 * tissue should move its reading little (the largest change is printed).
 */
import { type Raster, estimateNucleusScale } from '@restain/shared';
import { allScaleCases } from './check-scale-cases';
import { DATA_ROOT, readRgb } from './check-scale-truth';

function timeOn(image: Raster): number {
  const runs = 5;
  estimateNucleusScale(image);
  const start = performance.now();
  for (let i = 0; i < runs; i++) estimateNucleusScale(image);
  return (performance.now() - start) / runs;
}

async function main(): Promise<void> {
  const cases = await allScaleCases();
  let failures = 0;
  const estimates = new Map<string, number>();
  let worstRestaining = { change: 1, name: '' };
  console.log(`${'image'.padEnd(36)} ${'true diameter px'.padEnd(36)} estimate  ratio  factor  conf    n    ms`);
  for (const c of cases) {
    const start = performance.now();
    const e = estimateNucleusScale(c.image);
    const ms = performance.now() - start;
    const ok = e.nucleusDiameterPx >= c.low && e.nucleusDiameterPx <= c.high;
    if (!ok) failures++;
    estimates.set(c.name, e.nucleusDiameterPx);
    // Re-stained cases ("<image>, <change>"): how far the same tissue's reading moved.
    const base = estimates.get(c.name.split(', ')[0]);
    if (c.name.includes(', ') && base !== undefined) {
      const change = Math.max(e.nucleusDiameterPx / base, base / e.nucleusDiameterPx);
      if (change > worstRestaining.change) worstRestaining = { change, name: c.name };
    }
    console.log(
      `${c.name.padEnd(36)} ${c.truth.padEnd(36)} ${e.nucleusDiameterPx.toFixed(1).padStart(8)} ` +
        `${(e.nucleusDiameterPx / c.expected).toFixed(2).padStart(6)} ${e.referenceScaleFactor.toFixed(3).padStart(7)} ` +
        `${e.confidence.toFixed(2).padStart(5)} ${String(e.nucleiSampled).padStart(4)} ${ms.toFixed(0).padStart(5)}  ${ok ? 'ok' : 'MISS'}`,
    );
  }
  const ki67 = await readRgb(`${DATA_ROOT}/ki67-outlines/1309620_A2_27.jpg`, { x: 1528, y: 1024, width: 1024, height: 1024 });
  const roi = await readRgb(`${DATA_ROOT}/deepliif-sample/large-roi/ROI_1.png`, { x: 178, y: 0, width: 1024, height: 949 });
  console.log(`mean time per ~1024 x 1024 sample: ki67 ${timeOn(ki67).toFixed(0)} ms, ROI_1 ${timeOn(roi).toFixed(0)} ms`);
  console.log(`largest change of a reading under re-staining: x${worstRestaining.change.toFixed(2)} (${worstRestaining.name})`);
  console.log(failures === 0 ? 'all within tolerance' : `${failures} outside tolerance`);
  process.exitCode = failures === 0 ? 0 : 1;
}

void main();
