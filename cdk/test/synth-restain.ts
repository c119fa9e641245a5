import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readDeployParameters } from '../lib/deploy-parameters';
import { REPO_ROOT } from '../lib/lambda/restain-function';
import { RestainStack } from '../lib/restain-stack';

export interface SynthesizedRestain {
  readonly app: App;
  readonly stack: RestainStack;
  readonly template: Template;
  /** Removes the cloud assembly folder. */
  readonly dispose: () => void;
}

/**
 * The stack as `npx cdk synth` builds it (cdk.json's feature flags, `context` as `-c` would give
 * it), without bundling the Lambda code (the lambda-bundles test covers that) and without the
 * built-in template validation, so one synth takes a couple of seconds. Synthesize once per file.
 */
export function synthRestain(context: Record<string, unknown> = {}): SynthesizedRestain {
  const flags = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'restain-cdk-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...flags, ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new RestainStack(app, 'Restain', { parameters: readDeployParameters(app.node) });
  const template = Template.fromStack(stack);
  return { app, stack, template, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Resources of `type` in the template, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): Array<[string, { Properties: Record<string, any> }]> {
  return Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, any> }]>;
}

/** The one resource of `type` whose properties satisfy `accept`; throws when none or several do. */
export function theResource(template: Template, type: string, accept: (properties: Record<string, any>) => boolean): [string, Record<string, any>] {
  const found = resourcesOf(template, type).filter(([, resource]) => accept(resource.Properties ?? {}));
  if (found.length !== 1) throw new Error(`Expected exactly one ${type} matching but found ${found.length}`);
  return [found[0][0], found[0][1].Properties];
}

/** `{ Ref: id }` or `{ Fn::GetAtt: [id, ...] }` -> id (how one resource names another). */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string') return ref;
    const getAtt = (value as { 'Fn::GetAtt'?: unknown[] })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}
