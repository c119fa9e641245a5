import { ApiClient } from './api-client';
import type { CliIo } from './cli-io';
import { readClientDefaults } from './client-config';

/** Flags every client command takes (node:util parseArgs spec). */
export const CLIENT_FLAG_SPEC = {
  server: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** A command-line mistake: reported in one line with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** True for node:util parseArgs's own errors (unknown flag, missing value). */
export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The API client for --server/--key, falling back to RESTAIN_SERVER/RESTAIN_API_KEY, then the local platform. */
export function clientFromFlags(values: { server?: string; key?: string }, io: CliIo): ApiClient {
  const defaults = readClientDefaults(io.env);
  const server = values.server ?? defaults.server;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`Expected an http:// or https:// URL for --server but received ${JSON.stringify(server)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Expected an http:// or https:// URL for --server but received ${JSON.stringify(server)}`);
  }
  if (values.key !== undefined && values.key.trim() === '') throw new UsageError('Expected an API key after --key but received an empty value');
  return new ApiClient({ server, apiKey: values.key ?? defaults.apiKey });
}

/** Runs a client command body, turning usage mistakes into exit status 2 with one line on stderr. */
export async function withUsageErrors(command: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`restain: ${(error as Error).message} (see restain ${command} --help)\n`);
      return 2;
    }
    throw error;
  }
}
