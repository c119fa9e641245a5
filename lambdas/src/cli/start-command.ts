import path from 'node:path';
import { parseArgs } from 'node:util';
import { CODE_VERSION } from '@restain/gpu-worker';
import { OBJECT_PREFIXES, RestainError } from '@restain/shared';
import { type PlatformConfig, loadPlatformConfig } from '../local-platform/config';
import { startPlatform } from '../local-platform/start-platform';

export const START_USAGE = `restain start
  runs the whole platform on this machine: the REST and DeepLIIF-compatible API on
  http://127.0.0.1:8080 (PORT, RESTAIN_HOST), analysis workers (RESTAIN_WORKERS, default one per
  2 cores), and the drop folder (<data>/inbox -> <data>/outbox); data lives in ./data
  (RESTAIN_DATA_DIR). Ctrl-C or SIGTERM stops it; running jobs go back to the queue.`;

function timestamp(): string {
  return new Date().toISOString().slice(11, 19);
}

function banner(config: PlatformConfig, url: string): string {
  const keys = config.api.requireApiKeys
    ? `required (create one: restain keys create <name>)${config.api.anonymousDeepliif ? '; DeepLIIF endpoints open to anonymous use' : ''}`
    : 'not required on this loopback address (requests without a key act as the local user)';
  return [
    `Restain ${CODE_VERSION}`,
    `  Web app:  ${url}/   (open it in a browser)`,
    `  API:      ${url}   (OpenAPI: ${url}/api/openapi.json)`,
    `  Data:     ${config.dataDir}`,
    `  Drop:     copy images into ${path.join(config.dataDir, OBJECT_PREFIXES.inbox)} -> results in ${path.join(config.dataDir, OBJECT_PREFIXES.outbox)}`,
    `  Workers:  ${config.workers} x ${config.engineThreads} thread(s), engine ${config.model}`,
    `  API keys: ${keys}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/**
 * `restain start`: the local platform in the foreground until SIGINT/SIGTERM, then a graceful
 * stop (exit 0). A second signal during the stop kills the workers and exits at once (130/143).
 */
export async function runStart(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new RestainError('INVALID_ARGUMENT', `Expected no arguments after "restain start" (settings come from the environment) but received ${positionals.join(' ')}`);
  const config = loadPlatformConfig();
  const log = (line: string) => process.stdout.write(`${timestamp()} ${line}\n`);
  // Signals that arrive while starting are honoured once the platform is up.
  let requested: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = (signal) => (requested = signal);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onSignal(signal));

  const platform = await startPlatform(config, { workerScript: path.join(__dirname, 'worker.js'), webRoot: path.join(__dirname, '..', 'web', 'out'), log });
  process.stdout.write(banner(config, platform.url));
  const stopped = new Promise<boolean>((resolve) => {
    let stopping = false;
    onSignal = (signal) => {
      if (stopping) {
        log(`${signal} again: killing the workers and exiting now (their jobs return to the queue when their leases end)`);
        platform.kill();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      log(`${signal}: stopping (running jobs are handed back to the queue; press Ctrl-C again to force)`);
      platform.stop().then(
        () => resolve(true),
        (error: unknown) => {
          log(`stop failed: ${(error as Error)?.message ?? String(error)}`);
          resolve(false);
        },
      );
    };
    if (requested) onSignal(requested);
  });
  const clean = await stopped;
  log(clean ? 'stopped' : 'stopped with errors');
  return clean ? 0 : 1;
}
