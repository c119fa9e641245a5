// The `restain` command: the platform's commands beside the analysis commands of gpu-worker.
import { ANALYSIS_COMMANDS, type CliCommand, runCli } from '@restain/gpu-worker';
import { KEYS_USAGE, runKeys } from './keys-command';
import { START_USAGE, runStart } from './start-command';
import { STATUS_USAGE, runStatus } from './status-command';
import { SUBMIT_USAGE, runSubmit } from './submit-command';

const COMMANDS: Readonly<Record<string, CliCommand>> = {
  start: { run: runStart, usage: START_USAGE, ownsSignals: true },
  submit: { run: runSubmit, usage: SUBMIT_USAGE },
  status: { run: runStatus, usage: STATUS_USAGE },
  keys: { run: runKeys, usage: KEYS_USAGE },
  ...ANALYSIS_COMMANDS,
};

runCli(process.argv.slice(2), COMMANDS);
