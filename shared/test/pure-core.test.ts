import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The browser runs @restain/shared (live re-scoring in web workers): everything reachable from its
// index must be plain TypeScript. Node adapters live in src/adapters and are reached via shared/node.ts.
const SRC = path.join(__dirname, '..', 'src');
const NODE_ONLY = path.join(SRC, 'adapters');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (full === NODE_ONLY) return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Source without comments (they may mention process.env and friends). */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function importsOf(file: string): string[] {
  const text = codeOf(file);
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('the pure core (shared/src outside adapters/)', () => {
  const files = sourceFiles(SRC);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports only its own relative modules (no node:*, no packages)', () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('.'))
        .map((specifier) => `${path.relative(SRC, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('never reaches into the Node adapters', () => {
    const offenders = files.filter((file) => importsOf(file).some((s) => path.resolve(path.dirname(file), s).startsWith(NODE_ONLY)));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('uses no Node globals', () => {
    const offenders = files.filter((file) => /\b(Buffer\.|process\.|__dirname|require\()/.test(codeOf(file)));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
