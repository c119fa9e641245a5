import { Match } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import { referencedId, resourcesOf, synthRestain, type SynthesizedRestain, theResource } from './synth-restain';

let synthesized: SynthesizedRestain;
beforeAll(() => {
  synthesized = synthRestain({ longestJobMinutes: '45', maxReceives: '4', retentionDays: '10' });
});
afterAll(() => synthesized.dispose());

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return Stack.of(synthesized.stack).getLogicalId(construct.node.defaultChild as CfnResource);
}

describe('upload storage', () => {
  test('given any bucket of the stack, when synthesized, then it is encrypted, blocks public access and refuses plain HTTP', () => {
    const { template } = synthesized;
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const [, policy] = theResource(template, 'AWS::S3::BucketPolicy', (p) => referencedId(p.Bucket) === id);
      expect(policy.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });

  test('given job records live in the bucket, when synthesized, then uploads/, downloads/, inputs/ and results/ expire but jobs/, job-index/ and api-keys/ never do', () => {
    const [, data] = theResource(synthesized.template, 'AWS::S3::Bucket', (p) => p.LifecycleConfiguration?.Rules?.some((r: { Prefix?: string }) => r.Prefix === 'uploads/'));
    const rules = data.LifecycleConfiguration.Rules as Array<{ Prefix?: string; ExpirationInDays?: number; Status: string }>;
    const expiry = Object.fromEntries(rules.filter((r) => r.ExpirationInDays !== undefined).map((r) => [r.Prefix ?? '', r.ExpirationInDays]));
    expect(expiry).toEqual({ 'uploads/': 1, 'downloads/': 1, 'inputs/': 11, 'results/': 11 });
    expect(rules.every((r) => r.Status === 'Enabled')).toBe(true);
  });

  test('given the validator and the drop folder, when synthesized, then ObjectCreated under uploads/ and inbox/ invoke their own functions', () => {
    const { template } = synthesized;
    const [, notifications] = theResource(template, 'Custom::S3BucketNotifications', () => true);
    const configurations = notifications.NotificationConfiguration.LambdaFunctionConfigurations as Array<{ Events: string[]; Filter: { Key: { FilterRules: Array<{ Name: string; Value: string }> } }; LambdaFunctionArn: unknown }>;
    const byPrefix = Object.fromEntries(configurations.map((c) => [c.Filter.Key.FilterRules.find((r) => r.Name === 'prefix')?.Value, c]));
    expect(Object.keys(byPrefix).sort()).toEqual(['inbox/', 'uploads/']);
    expect(byPrefix['uploads/'].Events).toEqual(['s3:ObjectCreated:*']);
    expect(referencedId(byPrefix['uploads/'].LambdaFunctionArn)).toBe(logicalId(synthesized.stack.uploadValidator.handler.function));
    expect(referencedId(byPrefix['inbox/'].LambdaFunctionArn)).toBe(logicalId(synthesized.stack.dropFolder.ingestor.function));
    expect(referencedId(notifications.BucketName)).toBe(logicalId(synthesized.stack.storage.bucket));
  });
});

describe('analysis queue', () => {
  test('given jobs that fail repeatedly, when synthesized, then the queue redrives to its DLQ after maxReceives', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(synthesized.stack.analysis.deadLetterQueue), 'Arn'] }, maxReceiveCount: 4 },
    });
  });

  test('given workers renew a shorter lease, when synthesized, then the queue visibility covers the longest job and exceeds the worker lease', () => {
    const { template } = synthesized;
    const [, queue] = theResource(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
    expect(queue.VisibilityTimeout).toBe(45 * 60);
    const [, task] = theResource(template, 'AWS::ECS::TaskDefinition', () => true);
    const lease = Number((task.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: string }>).find((e) => e.Name === 'RESTAIN_VISIBILITY_TIMEOUT_SECONDS')!.Value);
    expect(queue.VisibilityTimeout).toBeGreaterThan(lease);
  });

  test('given SQS-triggered functions, when synthesized, then each source queue keeps messages invisible at least 6x the function timeout, and failures are reported per item', () => {
    const { template } = synthesized;
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    const all = template.toJSON().Resources as Record<string, { Properties: Record<string, any> }>;
    for (const [, mapping] of mappings) {
      const queue = all[referencedId(mapping.Properties.EventSourceArn)!].Properties;
      const fn = all[referencedId(mapping.Properties.FunctionName)!].Properties;
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Timeout);
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  test('given operators must hear of stuck work, when synthesized, then alarms watch DLQ depth and the age of the oldest job', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(synthesized.stack.analysis.deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(synthesized.stack.analysis.queue), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: Match.anyValue(),
    });
  });
});
