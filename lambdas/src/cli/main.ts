import { isRestainError } from '@restain/shared';
import { CODE_VERSION } from '@restain/gpu-worker/src/analysis/code-version';
import { removeTrackedDirsSync } from '@restain/gpu-worker/src/analysis/temp-dirs';
import { ANALYZE_USAGE, runAnalyze } from '@restain/gpu-worker/src/cli/analyze-command';
import { EVAL_USAGE, runEval } from '@restain/gpu-worker/src/cli/eval-command';
import { RESCORE_USAGE, runRescore } from '@restain/gpu-worker/src/cli/rescore-command';
import { SAMPLE_USAGE, runSample } from '@restain/gpu-worker/src/cli/sample-command';
import { KEYS_USAGE, runKeys } from './keys-command';
import { START_USAGE, runStart } from './start-command';
import { STATUS_USAGE, runStatus } from './status-command';
import { SUBMIT_USAGE, runSubmit } from './submit-command';

interface Command {
  readonly run: (argv: string[]) => Promise<number>;
  readonly usage: string;
  /** The command handles SIGINT/SIGTERM itself (the platform shuts down gracefully and exits 0). */
  readonly ownsSignals?: boolean;
}

const COMMANDS: Record<string, Command> = {
  start: { run: runStart, usage: START_USAGE, ownsSignals: true },
  submit: { run: runSubmit, usage: SUBMIT_USAGE },
  status: { run: runStatus, usage: STATUS_USAGE },
  keys: { run: runKeys, usage: KEYS_USAGE },
  analyze: { run: runAnalyze, usage: ANALYZE_USAGE },
  rescore: { run: runRescore, usage: RESCORE_USAGE },
  eval: { run: runEval, usage: EVAL_USAGE },
  sample: { run: runSample, usage: SAMPLE_USAGE },
};

const USAGE = `Restain ${CODE_VERSION}: IHC scoring (virtual restaining, cell segmentation, Ki67-style scores)

${Object.values(COMMANDS).map((command) => command.usage).join('\n\n')}`;

/** Ctrl-C or a stop request mid-analysis: remove temp files and unpublished results, exit 128 + signal number. */
function removePartialResultsOnSignal(): void {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    process.once(signal, () => {
      removeTrackedDirsSync();
      process.stderr.write(`\nrestain: stopped by ${signal}; nothing was published for the image in progress\n`);
      process.exit(128 + number);
    });
  }
}

/** Exit codes: 0 done, 1 an input or result problem, 2 a usage mistake, 70 an internal error. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${CODE_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`restain: unknown command "${name}" (expected ${Object.keys(COMMANDS).join(', ')}; see restain --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  if (!command.ownsSignals) removePartialResultsOnSignal();
  try {
    return await command.run(rest);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`restain: ${(error as Error).message} (see restain ${name} --help)\n`);
      return 2;
    }
    if (isRestainError(error)) {
      process.stderr.write(`restain: ${error.message}\n`);
      return error.code === 'INVALID_ARGUMENT' ? 2 : 1;
    }
    process.stderr.write(`restain: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 70;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`restain: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
