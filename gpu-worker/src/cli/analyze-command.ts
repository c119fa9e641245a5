import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RestainError } from '@restain/shared';
import { analyzeImage } from '../analysis/analyze-image';
import { DEFAULT_MAX_PIXELS } from '../analysis/analyze-options';
import type { EngineSpec } from '../engines/engine';
import { defaultNucleusModelDir } from '../engines/nuclei/model-dir';
import { openThreadedEngine } from '../engines/threaded-engine';
import { THRESHOLD_FLAG_SPEC, parseInteger, parseScale, parseThresholds } from './parse-options';
import { ProgressBar } from './progress-bar';
import { formatScoreLine, outputDirsFor } from './output-names';

export const ANALYZE_USAGE = `restain analyze <image...> --out <dir> [options]
  --resolution auto|40x|20x|10x   scale of the input (default auto: estimated from the nuclei)
  --pixel-size <µm>               pixel size in microns instead of --resolution
  --engine nuclei|builtin|<model-dir>  nuclei (default): built-in channels with nuclei found by
                                  Restain's nucleus net; builtin: classical, no learned weights;
                                  or a DeepLIIF-architecture ONNX model folder
  --device cpu|cuda               where models run (default cpu; cuda falls back to cpu)
  --engine-option <key=value>     a built-in engine setting (repeatable), e.g. estimateStains=true,
                                  stainVectors=[[0.65,0.70,0.29],[0.27,0.57,0.78]] (hematoxylin, DAB OD)
  --threads <n>                   worker threads (default: one per core)
  --page <n>                      page of a multi-page TIFF (default 0)
  --max-pixels <n>                refuse larger images (default ${DEFAULT_MAX_PIXELS})
  --seg-thresh <0-254>            segmentation threshold (default 120)
  --size-thresh auto|<px>         smallest cell area (default auto)
  --size-thresh-upper none|<px>   largest cell area (default none)
  --size-thresh-relative <0-1>    drop cells under this fraction of the median cell area
                                  (default 0.35; 0 for DeepLIIF's rules)
  --marker-thresh none|auto|<0-255>  marker threshold for positives (default none)`;

/** `key=value` pairs; values are JSON where they parse as JSON (numbers, booleans, arrays), else text. */
function parseEngineOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new RestainError('INVALID_ARGUMENT', `Expected key=value for --engine-option but received "${pair}"`);
    const text = pair.slice(at + 1);
    try {
      options[pair.slice(0, at)] = JSON.parse(text);
    } catch {
      options[pair.slice(0, at)] = text;
    }
  }
  return options;
}

function parseEngine(engine: string | undefined, device: string | undefined, threads: number, cores: number, engineOptions: string[]): EngineSpec {
  if (device !== undefined && device !== 'cpu' && device !== 'cuda') {
    throw new RestainError('INVALID_ARGUMENT', `Expected cpu or cuda for --device but received "${device}"`);
  }
  if (engine === 'builtin') return { kind: 'builtin', options: parseEngineOptions(engineOptions) };
  if (engineOptions.length > 0) throw new RestainError('INVALID_ARGUMENT', '--engine-option applies to the built-in engine only (add --engine builtin)');
  // One session per thread, the cores split between them (best throughput on multi-tile images).
  const intraOpThreads = Math.max(1, Math.floor(cores / threads));
  if (engine === undefined || engine === 'nuclei') return { kind: 'nuclei', modelDir: defaultNucleusModelDir(), device: device ?? 'cpu', intraOpThreads };
  return { kind: 'onnx', modelDir: path.resolve(engine), device: device ?? 'cpu', intraOpThreads };
}

/** `restain analyze`: returns the exit code (1 when any image failed). */
export async function runAnalyze(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      resolution: { type: 'string' },
      'pixel-size': { type: 'string' },
      engine: { type: 'string' },
      device: { type: 'string' },
      'engine-option': { type: 'string', multiple: true },
      threads: { type: 'string' },
      page: { type: 'string' },
      'max-pixels': { type: 'string' },
      ...THRESHOLD_FLAG_SPEC,
    },
  });
  if (positionals.length === 0) throw new RestainError('INVALID_ARGUMENT', 'No input image given: restain analyze <image...> --out <dir>');
  if (!values.out) throw new RestainError('INVALID_ARGUMENT', 'No output folder given: add --out <dir>');
  const cores = os.availableParallelism();
  const threads = values.threads === undefined ? cores : parseInteger('threads', values.threads, 1, 64);
  const options = {
    scale: parseScale(values.resolution, values['pixel-size']),
    page: values.page === undefined ? 0 : parseInteger('page', values.page, 0, 100_000),
    maxPixels: values['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : parseInteger('max-pixels', values['max-pixels'], 1, 1e12),
    postprocess: parseThresholds(values),
  };
  const spec = parseEngine(values.engine, values.device, threads, cores, values['engine-option'] ?? []);
  const engine = await openThreadedEngine(spec, { threads });
  const bar = new ProgressBar();
  let failures = 0;
  try {
    const targets = outputDirsFor(positionals, values.out);
    for (const [index, { input, outDir }] of targets.entries()) {
      const label = targets.length > 1 ? `[${index + 1}/${targets.length}] ${path.basename(input)}` : path.basename(input);
      try {
        const result = await analyzeImage({
          inputPath: input,
          outDir,
          options,
          engine,
          concurrency: threads,
          onProgress: ({ tilesDone, tilesTotal }) => bar.update(label, tilesDone, tilesTotal),
        });
        bar.clear();
        process.stdout.write(`${formatScoreLine(path.basename(input), result.scoring)} -> ${outDir}\n`);
      } catch (error) {
        bar.clear();
        if (!(error instanceof RestainError)) throw error;
        failures++;
        process.stderr.write(`restain: ${path.basename(input)}: ${error.message}\n`);
      }
    }
  } finally {
    await engine.close();
  }
  return failures > 0 ? 1 : 0;
}
