import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperatorAlarms } from '../operations/operator-alarms';
import { KEY_PREFIXES } from '../storage/key-prefixes';
import { grantObjectAccess } from '../storage/object-access';
import { scaleOnBacklog } from './backlog-scaling';
import { GpuCapacity } from './gpu-capacity';
import { WorkerNetwork } from './worker-network';

/** ECS's longest stop timeout for a container on EC2: the worker hands its job back well within it. */
export const WORKER_STOP_TIMEOUT = Duration.seconds(120);

export interface GpuWorkerServiceProps {
  readonly bucket: s3.IBucket;
  readonly queue: sqs.IQueue;
  /** Queued + in-flight jobs (the scaling metric). */
  readonly backlog: cloudwatch.IMetric;
  /** Runtime settings (ENV names -> values) for the worker container. */
  readonly environment: Readonly<Record<string, string>>;
  readonly instanceType: string;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly backlogPerWorker: number;
  readonly imageTag: string;
  readonly alarms: OperatorAlarms;
}

/**
 * The analysis workers: an ECS service of one-GPU tasks running the worker image from this
 * stack's ECR repository, on the GPU capacity provider, scaled from minWorkers (0 by default)
 * to maxWorkers on the queue backlog. Each task takes one job at a time, renews its lease while
 * it works, protects itself from scale-in through the ECS agent while busy, and on SIGTERM
 * hands its job back within the stop timeout.
 */
export class GpuWorkerService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.Ec2Service;
  readonly repository: ecr.Repository;
  readonly taskDefinition: ecs.Ec2TaskDefinition;

  constructor(scope: Construct, id: string, props: GpuWorkerServiceProps) {
    super(scope, id);
    const { vpc } = new WorkerNetwork(this, 'Network');
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const capacity = new GpuCapacity(this, 'Capacity', { cluster: this.cluster, vpc, instanceType: props.instanceType, maxInstances: props.maxWorkers, alarms: props.alarms });

    this.repository = new ecr.Repository(this, 'Images', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: [{ description: 'Keep the 10 newest images', maxImageCount: 10 }],
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });

    // Bridge networking: tasks share the instance's public address (awsvpc tasks on EC2 get none, and there is no NAT).
    this.taskDefinition = new ecs.Ec2TaskDefinition(this, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.taskDefinition.addContainer('Worker', {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, props.imageTag),
      gpuCount: 1,
      // One task per GPU instance; the soft reservation fits g4dn.xlarge (16 GiB) and lets a job use the rest.
      cpu: 2048,
      memoryReservationMiB: 8192,
      // SDK region without the instance metadata service, which containers cannot reach.
      environment: { ...props.environment, AWS_REGION: Stack.of(this).region },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'worker' }),
      stopTimeout: WORKER_STOP_TIMEOUT,
      readonlyRootFilesystem: false,
    });
    grantObjectAccess(this.taskDefinition.taskRole, props.bucket, {
      [KEY_PREFIXES.inputs]: ['read'],
      // Results are written create-only; a job deleted meanwhile has its published results removed.
      [KEY_PREFIXES.results]: ['read', 'write', 'delete'],
      [KEY_PREFIXES.jobs]: ['read', 'write'],
      [KEY_PREFIXES.jobIndex]: ['read', 'write', 'delete'],
      // Model folders uploaded to the bucket, fetched at start (read only).
      [KEY_PREFIXES.models]: ['read'],
    });
    // Receive, renew the lease (ChangeMessageVisibility, also how a retry is delayed), delete when settled.
    props.queue.grantConsumeMessages(this.taskDefinition.taskRole);
    // The ECS agent's scale-in protection endpoint calls UpdateTaskProtection with the task role's credentials.
    this.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:UpdateTaskProtection', 'ecs:GetTaskProtection'],
        resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` })],
      }),
    );

    this.service = new ecs.Ec2Service(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.minWorkers,
      capacityProviderStrategies: [{ capacityProvider: capacity.capacityProvider.capacityProviderName, weight: 1 }],
      // A deployment replaces tasks in place (no second GPU per worker); protected, busy tasks finish their job first.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    scaleOnBacklog({ service: this.service, backlog: props.backlog, minWorkers: props.minWorkers, maxWorkers: props.maxWorkers, backlogPerWorker: props.backlogPerWorker });

    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds configuration only (bucket name, queue URLs, limits), no secrets; it is set from the same ENV module the runtime parses.',
    });
    const executionRole = this.taskDefinition.obtainExecutionRole();
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Pulling the image needs ecr:GetAuthorizationToken, which has no resource ARN; the layer-pull actions name this stack\'s repository.',
    });
    Validations.of(this.taskDefinition.taskRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<${Stack.of(this).getLogicalId(this.cluster.node.defaultChild as ecs.CfnCluster)}>/*]`,
      reason: 'Task scale-in protection is granted on the tasks of this cluster only; task ids are not known in advance.',
    });
  }
}
