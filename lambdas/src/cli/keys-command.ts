import { parseArgs } from 'node:util';
import { RestainError } from '@restain/shared';
import { LocalFolderObjectStore } from '@restain/shared/node';
import { createApiKey, listApiKeys, revokeApiKey } from '../api/auth/api-keys';
import { KEY_CACHE_TTL_MS } from '../api/auth/authenticate';
import { loadPlatformConfig } from '../local-platform/config';

export const KEYS_USAGE = `restain keys create <name> | keys list | keys revoke <key-id>
  manages the API keys of the platform whose data folder is RESTAIN_DATA_DIR (default ./data);
  works whether or not the platform is running. A key is shown once, when created, and stored hashed.
  --json                          print JSON instead of text`;

/** `restain keys`: create, list and revoke API keys directly in the data folder. */
export async function runKeys(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, ...rest] = positionals;
  const config = loadPlatformConfig();
  const objects = new LocalFolderObjectStore({
    rootDir: config.dataDir,
    signedUrlBase: `http://${config.host}:${config.port}`,
    signingSecret: config.signingSecret,
  });
  const print = (value: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  if (action === 'create') {
    if (rest.length !== 1) throw new RestainError('INVALID_ARGUMENT', `Expected one key name (restain keys create <name>) but received ${rest.length}`);
    const created = await createApiKey(objects, rest[0]);
    print(
      { id: created.id, name: rest[0].trim(), key: created.key },
      `Created key ${created.id} (${rest[0].trim()}). Keep it now: it is not shown again.\n${created.key}`,
    );
    return 0;
  }
  if (action === 'list') {
    if (rest.length !== 0) throw new RestainError('INVALID_ARGUMENT', `Expected no arguments after "keys list" but received ${rest.join(' ')}`);
    const keys = await listApiKeys(objects);
    print(keys, keys.length === 0 ? `No API keys in ${config.dataDir}` : keys.map((key) => `${key.id}\t${key.createdAt}\t${key.name}`).join('\n'));
    return 0;
  }
  if (action === 'revoke') {
    if (rest.length !== 1) throw new RestainError('INVALID_ARGUMENT', `Expected one key id (restain keys revoke <key-id>) but received ${rest.length}`);
    if (!(await revokeApiKey(objects, rest[0]))) {
      process.stderr.write(`restain: no API key with id ${JSON.stringify(rest[0])} in ${config.dataDir}\n`);
      return 1;
    }
    print({ id: rest[0], revoked: true }, `Revoked ${rest[0]} (a running server stops accepting it within ${KEY_CACHE_TTL_MS / 1000} s)`);
    return 0;
  }
  throw new RestainError('INVALID_ARGUMENT', `Expected create, list or revoke after "restain keys" but received ${JSON.stringify(action ?? '')}`);
}
