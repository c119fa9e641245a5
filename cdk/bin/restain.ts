// The CDK app (`npx cdk synth|deploy` from the repository root, see cdk.json): one stack,
// checked against cdk-nag's AWS Solutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployParameters } from '../lib/deploy-parameters';
import { RestainStack } from '../lib/restain-stack';

const app = new App();
new RestainStack(app, app.node.tryGetContext('stackName') ?? 'Restain', {
  description: 'Restain: IHC scoring pipeline (S3, SQS, API Gateway + Lambda, ECS GPU workers, CloudFront)',
  parameters: readDeployParameters(app.node),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
