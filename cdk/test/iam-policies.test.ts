import { Stack } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { KEY_PREFIXES } from '../lib/storage/key-prefixes';
import { synthRestain, type SynthesizedRestain } from './synth-restain';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface NamedPolicy {
  readonly name: string;
  /** Logical ids of the roles the policy is attached to. */
  readonly roles: string[];
  readonly statements: Statement[];
}

let synthesized: SynthesizedRestain;
let policies: NamedPolicy[];
beforeAll(() => {
  synthesized = synthRestain();
  const resources = synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  policies = [];
  for (const [id, resource] of Object.entries(resources)) {
    const refs = (list: unknown[] | undefined): string[] => (list ?? []).map((r) => (r as { Ref: string }).Ref);
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      policies.push({ name: id, roles: refs(resource.Properties.Roles), statements: resource.Properties.PolicyDocument.Statement });
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of resource.Properties.Policies ?? []) policies.push({ name: `${id}/${inline.PolicyName}`, roles: [id], statements: inline.PolicyDocument.Statement });
    }
  }
});
afterAll(() => synthesized.dispose());

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const resourcesOf = (statement: Statement): unknown[] => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);
const DATA_SERVICES = /^(s3|sqs|dynamodb|kms|secretsmanager):/;

/** The S3 key prefixes `roleId`'s policies grant object actions on. */
function objectPrefixesOf(roleId: string): Set<string> {
  const prefixes = new Set<string>();
  for (const policy of policies.filter((p) => p.roles.includes(roleId))) {
    for (const statement of policy.statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^s3:.*Object/.test(a)))) {
      for (const resource of resourcesOf(statement)) {
        const match = /"\/([a-z-]+\/)\*"/.exec(JSON.stringify(resource));
        if (match) prefixes.add(match[1]);
      }
    }
  }
  return prefixes;
}

function roleIdOf(role: IConstruct): string {
  return Stack.of(synthesized.stack).getLogicalId(role.node.defaultChild as CfnResource);
}

describe('IAM policies', () => {
  test('given every IAM policy in the stack, when read, then no statement allows * or a service-wide action', () => {
    expect(policies.length).toBeGreaterThan(5);
    for (const policy of policies) {
      for (const statement of policy.statements.filter((s) => s.Effect === 'Allow')) {
        for (const action of actionsOf(statement)) {
          expect({ policy: policy.name, action, wildcard: action === '*' || action.endsWith(':*') }).toEqual({ policy: policy.name, action, wildcard: false });
        }
      }
    }
  });

  test('given data services (S3, SQS), when granted, then actions are named one by one and never on Resource *', () => {
    for (const policy of policies) {
      for (const statement of policy.statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => DATA_SERVICES.test(a)))) {
        for (const action of actionsOf(statement).filter((a) => DATA_SERVICES.test(a))) expect({ policy: policy.name, action, wildcard: action.includes('*') }).toEqual({ policy: policy.name, action, wildcard: false });
        expect({ policy: policy.name, resources: resourcesOf(statement).includes('*') }).toEqual({ policy: policy.name, resources: false });
      }
    }
  });

  test('given object actions, when granted, then each names one known key prefix of the bucket, never the whole bucket', () => {
    const known = new Set<string>(Object.values(KEY_PREFIXES));
    let objectStatements = 0;
    for (const policy of policies) {
      for (const statement of policy.statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^s3:.*(Object|MultipartUpload)/.test(a)))) {
        for (const resource of resourcesOf(statement)) {
          objectStatements++;
          const match = /"\/([a-z-]+\/)\*"\]\]\}$/.exec(JSON.stringify(resource));
          expect({ policy: policy.name, prefix: match?.[1] && known.has(match[1]) ? 'known' : JSON.stringify(resource) }).toEqual({ policy: policy.name, prefix: 'known' });
        }
      }
    }
    expect(objectStatements).toBeGreaterThan(10);
  });

  test('given untrusted bytes land in uploads/ and inbox/, when granted, then the GPU workers read only validated inputs and the drop folder alone reads inbox/', () => {
    const { stack } = synthesized;
    const worker = objectPrefixesOf(roleIdOf(stack.workers.taskDefinition.taskRole));
    expect([...worker].sort()).toEqual([KEY_PREFIXES.inputs, KEY_PREFIXES.jobIndex, KEY_PREFIXES.jobs, KEY_PREFIXES.models, KEY_PREFIXES.results].sort());
    const readers = policies.filter((p) => p.statements.some((s) => JSON.stringify(s.Resource).includes('"/inbox/*"'))).flatMap((p) => p.roles);
    expect(readers).toEqual([roleIdOf(stack.dropFolder.ingestor.role)]);
    const validator = objectPrefixesOf(roleIdOf(stack.uploadValidator.handler.role));
    expect(validator.has(KEY_PREFIXES.results)).toBe(false);
  });

  test('given GET /api/status, when granted, then the API may describe the worker service only', () => {
    const { stack } = synthesized;
    const apiRole = roleIdOf(stack.api.handler.role);
    const statements = policies.filter((p) => p.roles.includes(apiRole)).flatMap((p) => p.statements).filter((s) => actionsOf(s).some((a) => a.startsWith('ecs:')));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0])).toEqual(['ecs:DescribeServices']);
    expect(statements[0].Resource).toEqual({ Ref: Stack.of(stack).getLogicalId(stack.workers.service.node.defaultChild as CfnResource) });
  });
});
