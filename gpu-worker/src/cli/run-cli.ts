import { isRestainError } from '@restain/shared';
import { CODE_VERSION } from '../analysis/code-version';
import { removeTrackedDirsSync } from '../analysis/temp-dirs';
import { ANALYZE_USAGE, runAnalyze } from './analyze-command';
import { EVAL_USAGE, runEval } from './eval-command';
import { RESCORE_USAGE, runRescore } from './rescore-command';
import { SAMPLE_USAGE, runSample } from './sample-command';

/** One `restain` sub-command. */
export interface CliCommand {
  readonly run: (argv: string[]) => Promise<number>;
  readonly usage: string;
  /** The command handles SIGINT/SIGTERM itself (e.g. the platform shuts down gracefully and exits 0). */
  readonly ownsSignals?: boolean;
}

/** The analysis commands (the rest of the CLI, in lambdas/, adds the platform's). */
export const ANALYSIS_COMMANDS: Readonly<Record<string, CliCommand>> = {
  analyze: { run: runAnalyze, usage: ANALYZE_USAGE },
  rescore: { run: runRescore, usage: RESCORE_USAGE },
  eval: { run: runEval, usage: EVAL_USAGE },
  sample: { run: runSample, usage: SAMPLE_USAGE },
};

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

async function dispatch(argv: string[], commands: Readonly<Record<string, CliCommand>>): Promise<number> {
  const usage = `Restain ${CODE_VERSION}: IHC scoring (virtual restaining, cell segmentation, Ki67-style scores)\n\n${Object.values(commands)
    .map((command) => command.usage)
    .join('\n\n')}`;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${CODE_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`restain: unknown command "${name}" (expected ${Object.keys(commands).join(', ')}; see restain --help)\n`);
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

/**
 * Runs the `restain` CLI over a command table and sets the exit code: 0 done, 1 an input or
 * result problem, 2 a usage mistake, 70 an internal error (128 + n when stopped by a signal).
 */
export function runCli(argv: string[], commands: Readonly<Record<string, CliCommand>>): void {
  dispatch(argv, commands).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`restain: internal error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
