// Node-only entry `@restain/shared/aws`: the AWS adapters of the ports (S3, SQS), kept apart from
// `@restain/shared/node` so the local platform's bundles do not carry the AWS SDK.
export * from './src/adapters/aws';
