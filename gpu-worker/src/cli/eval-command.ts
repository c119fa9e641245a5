import { parseArgs } from 'node:util';
import { RestainError } from '@restain/shared';
import { evaluateDirectories, formatEvalReport } from '../eval';
import { parseInteger, parsePositiveNumber } from './parse-options';

export const EVAL_USAGE = `restain eval --pred <dir> --gt <dir> [--radius <px>] [--ignore-unannotated <0-1>] [--size-thresh <px>] [--json]
  scores SegRefined results against ground truth masks (<name>.png), points (<name>.points.json)
  or outlines (<name>.cells.json)`;

/** `restain eval`: per-image and mean detection/classification metrics. */
export async function runEval(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pred: { type: 'string' },
      gt: { type: 'string' },
      radius: { type: 'string' },
      'ignore-unannotated': { type: 'string' },
      'size-thresh': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.pred || !values.gt) throw new RestainError('INVALID_ARGUMENT', 'Expected both --pred <dir> and --gt <dir>');
  const ignore = values['ignore-unannotated'];
  const ignoreUnannotated = ignore === undefined ? undefined : parsePositiveNumber('ignore-unannotated', ignore);
  if (ignoreUnannotated !== undefined && ignoreUnannotated > 1) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a fraction from 0 to 1 for --ignore-unannotated but received "${ignore}"`);
  }
  const report = await evaluateDirectories(values.pred, values.gt, {
    radiusPx: values.radius === undefined ? undefined : parsePositiveNumber('radius', values.radius),
    ignoreUnannotated,
    sizeThresh: values['size-thresh'] === undefined ? undefined : parseInteger('size-thresh', values['size-thresh'], 0, 1e9),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvalReport(report)}\n`);
  return 0;
}
