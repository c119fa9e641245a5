import { ENV } from '@restain/shared';

/** Where `restain submit`/`status` connect when no --server is given: the local platform. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** Connection defaults of the API client commands, from the environment. */
export interface ClientDefaults {
  readonly server: string;
  /** API key for `Authorization: Bearer`; absent means none is sent (the loopback server's local user). */
  readonly apiKey?: string;
}

/** The only place the client commands read the environment: RESTAIN_SERVER and RESTAIN_API_KEY. */
export function readClientDefaults(env: Readonly<Record<string, string | undefined>> = process.env): ClientDefaults {
  const server = env[ENV.SERVER]?.trim();
  const apiKey = env[ENV.API_KEY]?.trim();
  return Object.freeze({ server: server || DEFAULT_SERVER, ...(apiKey ? { apiKey } : {}) });
}
