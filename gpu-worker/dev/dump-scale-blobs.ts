/**
 * Dev: the scale estimator's blobs (after overlap suppression) of one image, binned by size and by
 * colour at the blob centre (brown = DAB-stained, blue = hematoxylin only), to see which nuclei the
 * estimate follows. Usage: npx tsx gpu-worker/dev/dump-scale-blobs.ts IMAGE
 */
import { estimateNucleusScale, pickScaleSampleRegion } from '@restain/shared';
import { DIAMETER_PER_SIGMA } from '../../shared/src/scale/estimate-nucleus-scale';
import { detectScaleSpaceBlobs } from '../../shared/src/scale/detect-scale-space-blobs';
import { nuclearOpticalDensity } from '../../shared/src/scale/nuclear-optical-density';
import { suppressOverlappingBlobs } from '../../shared/src/scale/suppress-overlapping-blobs';
import { readRgb } from './check-scale-truth';


async function main(): Promise<void> {
  const image = await readRgb(process.argv[2]);
  const region = pickScaleSampleRegion(image.width, image.height);
  const density = nuclearOpticalDensity(image, region);
  const blobs = suppressOverlappingBlobs(detectScaleSpaceBlobs(density, { minResponse: 0.02, maxSigmaPx: 800 / DIAMETER_PER_SIGMA, maxOctaveSidePx: 384 }));
  const est = estimateNucleusScale(image);
  console.log(`estimate ${est.nucleusDiameterPx.toFixed(1)} px, ${blobs.length} blobs`);
  const rows = new Map<number, { brown: number; blue: number; rb: number; rr: number }>();
  for (const b of blobs) {
    const d = DIAMETER_PER_SIGMA * b.sigma;
    const bin = Math.round(Math.log2(d) * 4) / 4;
    const p = ((region.y + Math.round(b.y)) * image.width + region.x + Math.round(b.x)) * 3;
    const [r, bl] = [image.data[p], image.data[p + 2]];
    const brown = bl < r - 10;
    const row = rows.get(bin) ?? { brown: 0, blue: 0, rb: 0, rr: 0 };
    if (brown) { row.brown++; row.rr += b.response; } else { row.blue++; row.rb += b.response; }
    rows.set(bin, row);
  }
  for (const [bin, row] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
    console.log(`d ~${(2 ** bin).toFixed(0).padStart(4)} px  brown ${String(row.brown).padStart(4)} (resp ${(row.rr / Math.max(1, row.brown)).toFixed(3)})  blue ${String(row.blue).padStart(4)} (resp ${(row.rb / Math.max(1, row.blue)).toFixed(3)})`);
  }
}

void main();
