import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root (cdk/lib/lambda -> ../../..): handler entries and the lockfile live there. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Lambda's latest Node.js runtime; the layer and esbuild target the same version. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ESBUILD_TARGET = 'node24';

/**
 * Modules left out of every bundle: sharp comes from the layer; onnxruntime-node (the worker's
 * engine) and better-sqlite3 (the local home) are never loaded by a handler, and must not be.
 */
export const EXTERNAL_MODULES: readonly string[] = ['sharp', 'onnxruntime-node', 'better-sqlite3'];

/** The handler files of lambdas/src/handlers that the stack deploys (each exports `handler`). */
export const HANDLER_FILES = ['api', 'upload-validator', 'drop-folder', 'outbox-delivery', 'dead-letters'] as const;
export type HandlerFile = (typeof HANDLER_FILES)[number];

/** A handler's entry file. */
export function handlerEntry(handlerFile: HandlerFile): string {
  return path.join(REPO_ROOT, 'lambdas', 'src', 'handlers', `${handlerFile}.ts`);
}

export interface RestainFunctionProps {
  /** Handler file under lambdas/src/handlers/, without extension (it exports `handler`). */
  readonly handlerFile: HandlerFile;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySizeMiB: number;
  /** Variables from ENV (@restain/shared) only. */
  readonly environment: Readonly<Record<string, string>>;
  /** Given when the handler decodes images (sharp stays external and comes from this layer). */
  readonly sharpLayer?: lambda.ILayerVersion;
  /** /tmp size, for handlers that stage uploads there. */
  readonly ephemeralStorage?: Size;
}

/** `<package version>+<git commit>` as scripts/build.mjs stamps it, so results record which code made them. */
function codeVersion(): string {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  try {
    return `${version}+${execSync('git rev-parse --short=12 HEAD', { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()}`;
  } catch {
    return version;
  }
}

/**
 * One handler of lambdas/src/handlers bundled by esbuild at synth (local esbuild, no Docker),
 * with its own role and log group: the role starts with nothing but writing its own logs, and
 * each construct grants the rest. The AWS SDK is bundled rather than taken from the runtime, so
 * the conditional-write S3 API the adapters use is the version they were tested with.
 */
export class RestainFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RestainFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    // The log group's ARN ends in `:*` (its streams); no managed policy needed.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handlerFile),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.X86_64,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySizeMiB,
      ephemeralStorageSize: props.ephemeralStorage,
      role: this.role,
      logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      layers: props.sharpLayer ? [props.sharpLayer] : [],
      bundling: {
        forceDockerBundling: false,
        target: ESBUILD_TARGET,
        format: nodejs.OutputFormat.CJS,
        sourceMap: true,
        minify: false,
        externalModules: [...EXTERNAL_MODULES],
        define: { RESTAIN_CODE_VERSION: JSON.stringify(codeVersion()) },
        logLevel: nodejs.LogLevel.WARNING,
      },
    });
  }
}
