import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthRestain } from './synth-restain';

describe('cdk-nag AWS Solutions', () => {
  test('given the stack with its acknowledged findings, when checked, then no rule reports an error or a warning', () => {
    const synthesized = synthRestain({ alarmEmail: 'ops@example.org', minWorkers: '1' });
    try {
      const report = new AwsSolutionsChecks().validateScope(synthesized.app);
      const findings = report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    } finally {
      synthesized.dispose();
    }
  });

  test('given a bucket without TLS enforcement and nothing acknowledged, when checked, then the same check reports it', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
