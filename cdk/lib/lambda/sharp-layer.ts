import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Packages the sharp layer carries for Lambda's linux-x64 (glibc) Node runtime: sharp, its prebuilt binding and libvips, and sharp's own dependencies. */
const SHARP_PACKAGES = ['sharp', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@img/colour', 'detect-libc', 'semver'];

/**
 * The folder of `name` as Node would find it from `from` (its node_modules, then each parent's);
 * looked up by folder because packages such as sharp do not export their package.json.
 */
function installedPackageDir(name: string, from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(
    `Expected ${name} in node_modules to build the sharp Lambda layer but it is not installed. On a machine that is not linux-x64, run ` +
      '`npm install --os=linux --cpu=x64 sharp` once so npm fetches the Linux binaries too (see docs/deploy.md).',
  );
}

/**
 * Copies sharp and what it loads into `outputDir/nodejs/node_modules` (the layer's layout: Lambda
 * puts /opt/nodejs/node_modules on the module path). Throws when the linux-x64 binding is missing.
 */
export function copySharpPackages(outputDir: string, repoRoot: string): void {
  const sharpDir = installedPackageDir('sharp', repoRoot);
  for (const name of SHARP_PACKAGES) {
    // sharp's nested node_modules (its own semver) comes along with it.
    const from = name === 'sharp' ? sharpDir : installedPackageDir(name, sharpDir);
    const to = path.join(outputDir, 'nodejs', 'node_modules', name);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, dereference: true });
  }
  if (!existsSync(path.join(outputDir, 'nodejs/node_modules/@img/sharp-linux-x64/lib'))) throw new Error('Expected the sharp linux-x64 binding in the layer but it was not copied');
}

/**
 * sharp as a Lambda layer, copied from this checkout's node_modules at synth (no network, no
 * Docker): `nodejs/node_modules/...` is on Lambda's module path, so handlers bundled with sharp
 * marked external `require('sharp')` from the layer. The alternative, NodejsFunction's
 * `nodeModules`, runs `npm install` during synth and needs the registry.
 */
export class SharpLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: { readonly repoRoot: string }) {
    super(scope, id);
    const sharpDir = installedPackageDir('sharp', props.repoRoot);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: 'sharp with its linux-x64 binding and libvips',
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      code: lambda.Code.fromAsset(sharpDir, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: the local bundler below always succeeds or throws.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
          local: {
            tryBundle(outputDir: string): boolean {
              copySharpPackages(outputDir, props.repoRoot);
              return true;
            },
          },
        },
      }),
    });
  }
}
