import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

describe('the restain bin of the root package', () => {
  it('runs the bundled CLI: help lists every command, --version the code version', async () => {
    const run = promisify(execFile);
    const help = await run(process.execPath, [path.join(ROOT, 'bin/restain.js'), '--help']);
    for (const command of ['restain analyze', 'restain rescore', 'restain eval', 'restain sample']) expect(help.stdout).toContain(command);
    const version = await run(process.execPath, [path.join(ROOT, 'bin/restain.js'), '--version']);
    const { version: packageVersion } = require(path.join(ROOT, 'package.json'));
    expect(version.stdout.trim()).toMatch(new RegExp(`^${packageVersion.replace(/\./g, '\\.')}\\+`));
  });
});
