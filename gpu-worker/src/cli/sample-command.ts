import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RestainError, SAMPLE_IMAGE_OPTIONS, generateSyntheticIhc, renderTruthMask, truthToPoints } from '@restain/shared';
import { writePngRaster } from '../image/write-png';
import { parseInteger } from './parse-options';

export const SAMPLE_USAGE = `restain sample --out <dir> [--seed N]
  writes the project's synthetic IHC sample (sample.png) and its exact ground truth
  (truth/sample.png as a DeepLIIF-colour mask; sample.points.json, nucleus centres)`;

/** `restain sample`: a synthetic IHC image with known cells, to try Restain and check it. */
export async function runSample(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string', short: 'o' }, seed: { type: 'string' } } });
  if (!values.out) throw new RestainError('INVALID_ARGUMENT', 'No output folder given: add --out <dir>');
  const seed = values.seed === undefined ? SAMPLE_IMAGE_OPTIONS.seed : parseInteger('seed', values.seed, 0, 2 ** 31 - 1);
  const truth = generateSyntheticIhc({ ...SAMPLE_IMAGE_OPTIONS, seed });
  const truthDir = path.join(values.out, 'truth');
  await mkdir(truthDir, { recursive: true });
  await writePngRaster(truth.image, path.join(values.out, 'sample.png'));
  await writePngRaster(renderTruthMask(truth), path.join(truthDir, 'sample.png'));
  await writeFile(path.join(values.out, 'sample.points.json'), `${JSON.stringify(truthToPoints(truth))}\n`);
  const positives = truth.cells.filter((cell) => cell.positive).length;
  process.stdout.write(
    `${path.join(values.out, 'sample.png')}: ${truth.image.width} x ${truth.image.height}, ${truth.cells.length} cells, ${positives} positive (truth in ${truthDir})\n`,
  );
  return 0;
}
