import { Validations, type Stack } from 'aws-cdk-lib';

/**
 * cdk-nag findings on resources aws-cdk-lib makes for itself (singleton custom-resource handlers),
 * which this app cannot configure, each acknowledged with why it is acceptable.
 */
export function acknowledgeLibraryInternals(stack: Stack): void {
  for (const child of stack.node.children) {
    // The handler that writes the bucket's event notifications (a CloudFormation custom resource).
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'aws-cdk-lib\'s bucket-notification handler uses the AWS-managed basic execution role (logs only).',
      });
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'aws-cdk-lib\'s bucket-notification handler needs s3:PutBucketNotification, granted by the library on *; it runs only during deployments.',
      });
    }
  }
}
