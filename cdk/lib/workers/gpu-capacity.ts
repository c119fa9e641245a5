import { Duration, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { OperatorAlarms } from '../operations/operator-alarms';

export interface GpuCapacityProps {
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.IVpc;
  readonly instanceType: string;
  readonly maxInstances: number;
  readonly alarms: OperatorAlarms;
}

/** Root volume: the CUDA worker image is several GB and is pulled once per instance. */
const ROOT_VOLUME_GIB = 100;

/**
 * The GPU instances: an Auto Scaling group of GPU instances (g4dn.xlarge by default) on the ECS
 * GPU-optimised Amazon Linux 2023 AMI (resolved from its public SSM parameter at deploy time, so
 * synth needs no lookup), from 0 instances. It is the cluster's capacity provider with managed
 * scaling (ECS starts instances for tasks waiting to be placed, and stops idle ones) and managed
 * termination protection (an instance running a task is never scaled in under it).
 */
export class GpuCapacity extends Construct {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;

  constructor(scope: Construct, id: string, props: GpuCapacityProps) {
    super(scope, id);
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'ECS container instances of the Restain GPU fleet (the ECS agent; tasks use their own role)',
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Restain GPU workers: no inbound traffic; outbound HTTPS to AWS APIs and ECR',
      allowAllOutbound: true,
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.GPU),
      role,
      securityGroup,
      // The capacity provider appends the ECS agent's settings (the cluster to join).
      userData: ec2.UserData.forLinux(),
      // IMDSv2 with one hop: bridge-mode containers (one hop further) get no token, so no instance-role
      // credentials; tasks use their own role through the ECS agent.
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      associatePublicIpAddress: true,
      detailedMonitoring: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) }],
    });
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Instances', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate,
      minCapacity: 0,
      maxCapacity: props.maxInstances,
      notifications: [{ topic: props.alarms.topic, scalingEvents: autoscaling.ScalingEvents.ERRORS }],
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
    });
    this.capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      enableManagedTerminationProtection: true,
      enableManagedDraining: true,
      targetCapacityPercent: 100,
      // GPU instances boot and pull a large image: count them as warming up for 5 minutes.
      instanceWarmupPeriod: 300,
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
    });
    props.cluster.addAsgCapacityProvider(this.capacityProvider);

    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-EC26',
      reason: 'The root volume is encrypted in the launch template (gp3, encrypted: true); the rule only reads instance and volume resources.',
    });
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-AS3',
      reason: 'With a fleet that scales to zero, launches and terminations are routine; failed launches and terminations are sent to the alarm topic.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The ECS agent\'s calls that take no resource ARN (ecs:DiscoverPollEndpoint, ecr:GetAuthorizationToken) are granted by aws-cdk-lib on *; the rest name the cluster.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::ecs:Submit*]',
      reason: 'The ECS agent reports container and task state with ecs:SubmitContainerStateChange / SubmitTaskStateChange / SubmitAttachmentStateChanges, granted by aws-cdk-lib as ecs:Submit* on this cluster only.',
    });
  }
}
