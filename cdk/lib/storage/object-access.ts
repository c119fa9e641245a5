import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** What a component may do with the objects under one key prefix of the data bucket. */
export type ObjectAccess = 'read' | 'write' | 'delete';

/** Key prefix (as the runtime writes it, ending in `/`) -> what the component does there. */
export type PrefixAccess = Readonly<Record<string, readonly ObjectAccess[]>>;

const ACTIONS: Readonly<Record<ObjectAccess, readonly string[]>> = {
  read: ['s3:GetObject'],
  // Large bodies go up as multipart uploads (lib-storage), which abort on error.
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

/**
 * Grants `grantee` exactly `access` on the data bucket: one statement per prefix, named actions
 * only (no `s3:*`, no `s3:Get*`). Every component also gets s3:ListBucket on the bucket itself:
 * without it S3 answers 403 instead of 404 for a missing key, and the ports treat "absent" as a
 * normal answer (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 * Each prefix's `<bucket>/<prefix>*` resource is acknowledged for cdk-nag's wildcard rule:
 * that wildcard is the prefix scope itself.
 */
export function grantObjectAccess(grantee: iam.IGrantable, bucket: s3.IBucket, access: PrefixAccess): void {
  const principal = grantee.grantPrincipal;
  if (!(principal instanceof iam.Role)) throw new Error('Expected a grantee whose principal is a role of this stack (its policy carries the grants)');
  principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  for (const [prefix, kinds] of Object.entries(access)) {
    if (!/^[a-z][a-z0-9-]*\/$/.test(prefix)) throw new Error(`Expected a key prefix such as jobs/ but received ${JSON.stringify(prefix)}`);
    const actions = [...new Set(kinds.flatMap((kind) => ACTIONS[kind]))];
    principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects(`${prefix}*`)] }));
    Validations.of(principal).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId(bucket)}.Arn>/${prefix}*]`,
      reason: `Object access is scoped to the ${prefix} prefix of the data bucket; the wildcard is that prefix (${kinds.join(', ')}).`,
    });
  }
}

function bucketLogicalId(bucket: s3.IBucket): string {
  return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnResource);
}
