import { type CliRun, runCli } from '../../../gpu-worker/test/cli/run-cli';

export type RestainRun = CliRun;

/** Runs the bundled `restain` CLI with extra environment and collects its output (killed after `timeoutMs`). */
export function runRestain(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 120_000): Promise<RestainRun> {
  return runCli(args, timeoutMs, env);
}
