import { Match } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import { ENV } from '@restain/shared';
import { resourcesOf, synthRestain, type SynthesizedRestain, theResource } from './synth-restain';

/** AWS-managed CloudFront cache policy "CachingDisabled". */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

let synthesized: SynthesizedRestain;
beforeAll(() => {
  synthesized = synthRestain({ apiRateLimitPerSecond: '20', apiBurstLimit: '40' });
});
afterAll(() => synthesized.dispose());

describe('web hosting', () => {
  test('given the web app and the API share one origin, when synthesized, then /api/* goes to API Gateway uncached with every method', () => {
    const [, distribution] = theResource(synthesized.template, 'AWS::CloudFront::Distribution', () => true);
    const config = distribution.DistributionConfig;
    const api = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({ CachePolicyId: CACHING_DISABLED, ViewerProtocolPolicy: 'https-only', AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']) });
    const origin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    const apiId = Stack.of(synthesized.stack).getLogicalId(synthesized.stack.api.api.node.defaultChild as CfnResource);
    expect(JSON.stringify(origin.DomainName)).toContain(apiId);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  });

  test('given a private web bucket, when synthesized, then the default behaviour reads it through origin access control over HTTPS', () => {
    const { template } = synthesized;
    const [oacId] = resourcesOf(template, 'AWS::CloudFront::OriginAccessControl')[0];
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } })]),
      }),
    });
  });
});

describe('job API', () => {
  test('given API Gateway limits, when synthesized, then the stage is throttled as configured and access-logged', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('given HTTP APIs end integrations at 30 s, when synthesized, then the API function times out before that', () => {
    const { stack, template } = synthesized;
    const id = Stack.of(stack).getLogicalId(stack.api.handler.function.node.defaultChild as CfnResource);
    const fn = template.toJSON().Resources[id].Properties;
    expect(fn.Timeout).toBeLessThan(30);
  });

  test('given the runtime parses ENV names, when synthesized, then every handler is configured with the bucket and queue, and the API with its fleet and public URL', () => {
    const functions = resourcesOf(synthesized.template, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.[ENV.BUCKET]);
    expect(functions).toHaveLength(5);
    for (const [, fn] of functions) {
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining([ENV.BUCKET, ENV.QUEUE_URL, ENV.MAX_RECEIVES, ENV.JOB_MAX_PIXELS]));
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
    }
    const { stack, template } = synthesized;
    const api = template.toJSON().Resources[Stack.of(stack).getLogicalId(stack.api.handler.function.node.defaultChild as CfnResource)].Properties;
    expect(Object.keys(api.Environment.Variables)).toEqual(expect.arrayContaining([ENV.ECS_CLUSTER, ENV.ECS_SERVICE, ENV.PUBLIC_URL]));
  });

  test('given sharp is native, when synthesized, then the functions that decode images carry the sharp layer', () => {
    const { stack, template } = synthesized;
    const resources = template.toJSON().Resources;
    for (const fn of [stack.api.handler, stack.uploadValidator.handler, stack.dropFolder.ingestor]) {
      const properties = resources[Stack.of(stack).getLogicalId(fn.function.node.defaultChild as CfnResource)].Properties;
      expect(properties.Layers).toHaveLength(1);
    }
  });
});
