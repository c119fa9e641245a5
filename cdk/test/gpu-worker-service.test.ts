import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '@restain/shared';
import { resourcesOf, synthRestain, type SynthesizedRestain, theResource } from './synth-restain';

let synthesized: SynthesizedRestain;
beforeAll(() => {
  synthesized = synthRestain({ maxWorkers: '6', backlogPerWorker: '2', workerLeaseSeconds: '90' });
});
afterAll(() => synthesized.dispose());

describe('GPU worker service', () => {
  test('given the default instance type, when synthesized, then instances are g4dn.xlarge on the ECS GPU-optimised AL2023 AMI', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 'g4dn.xlarge', ImageId: { Ref: Match.stringLikeRegexp('amazonlinux2023gpurecommendedimageid') } }),
    });
    const parameters = template.toJSON().Parameters as Record<string, { Default?: string }>;
    expect(Object.values(parameters).map((p) => p.Default)).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id');
  });

  test('given the fleet may be idle, when synthesized, then the Auto Scaling group starts at 0 and stops at maxWorkers', () => {
    synthesized.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '0', MaxSize: '6' });
  });

  test('given ECS places the tasks, when synthesized, then the group is a capacity provider with managed scaling and managed termination protection', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({
        ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
        ManagedTerminationProtection: 'ENABLED',
      }),
    });
    // Managed termination protection only works when new instances start protected from scale-in.
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { NewInstancesProtectedFromScaleIn: true });
    const [providerId] = resourcesOf(template, 'AWS::ECS::CapacityProvider')[0];
    template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [Match.objectLike({ CapacityProvider: { Ref: providerId } })],
      DesiredCount: 0,
    });
  });

  test('given one GPU per worker, when synthesized, then the task asks for exactly one GPU and stops within the ECS limit', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ ResourceRequirements: [{ Type: 'GPU', Value: '1' }], StopTimeout: 120 })],
    });
  });

  test('given the worker reads its settings from ENV, when synthesized, then the container gets the bucket, the queue, CUDA and the lease', () => {
    const [, task] = theResource(synthesized.template, 'AWS::ECS::TaskDefinition', () => true);
    const environment = Object.fromEntries((task.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: unknown }>).map((e) => [e.Name, e.Value]));
    expect(Object.keys(environment)).toEqual(expect.arrayContaining([ENV.BUCKET, ENV.QUEUE_URL, ENV.DEAD_LETTER_QUEUE_URL, ENV.MODEL, ENV.MAX_RECEIVES]));
    expect(environment[ENV.DEVICE]).toBe('cuda');
    expect(environment[ENV.VISIBILITY_TIMEOUT_SECONDS]).toBe('90');
  });

  test('given scale-in protection goes through the ECS agent with the task role, when synthesized, then the task role may protect tasks of its cluster only', () => {
    const { template } = synthesized;
    const [, task] = theResource(template, 'AWS::ECS::TaskDefinition', () => true);
    const taskRoleId = task.TaskRoleArn['Fn::GetAtt'][0];
    const [, policy] = theResource(template, 'AWS::IAM::Policy', (p) => p.Roles.some((r: unknown) => JSON.stringify(r).includes(taskRoleId)));
    const statement = policy.PolicyDocument.Statement.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes('ecs:UpdateTaskProtection'));
    expect(JSON.stringify(statement.Resource)).toMatch(/:task\/".*Ref.*Cluster.*\/\*/);
  });

  test('given the backlog metric, when synthesized, then step policies set exact worker counts from alarms on the queue metrics', () => {
    const { template } = synthesized;
    const policies = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(([, r]) => r.Properties.StepScalingPolicyConfiguration);
    expect(policies).toHaveLength(2);
    for (const policy of policies) expect(policy.AdjustmentType).toBe('ExactCapacity');
    const counts = policies.flatMap((p) => p.StepAdjustments.map((s: { ScalingAdjustment: number }) => s.ScalingAdjustment)).sort((a: number, b: number) => a - b);
    expect(counts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 6, ScalableDimension: 'ecs:service:DesiredCount' });

    const [queueId] = theResource(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
    const scalingAlarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.AlarmActions ?? []).includes('Policy'));
    expect(scalingAlarms).toHaveLength(2);
    for (const [, alarm] of scalingAlarms) {
      const metrics = (alarm.Properties.Metrics as Array<{ Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Value: unknown }> } } }>);
      expect(metrics.find((m) => m.Expression)?.Expression).toBe('visible + inflight + delayed');
      const queueMetrics = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
      expect(queueMetrics.map((m) => m.MetricName).sort()).toEqual(['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesVisible']);
      for (const metric of queueMetrics) expect(JSON.stringify(metric.Dimensions)).toContain(queueId);
    }
  });
});
