import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';

/** One band of the backlog metric and the worker count it asks for. */
export interface BacklogStep {
  /** Lower bound of the backlog (jobs, half-way between whole numbers), absent for the first band. */
  readonly lower?: number;
  /** Upper bound, absent for the last band. */
  readonly upper?: number;
  /** Workers wanted in this band. */
  readonly workers: number;
}

/**
 * The scaling decision, as the DeepCell autoscaler keeps it: workers wanted = ceil(backlog /
 * backlogPerWorker), clamped to [minWorkers, maxWorkers], where backlog counts jobs queued and
 * jobs running (in flight). Running jobs count, so a worker is never asked to stop mid-job; an
 * empty queue with nothing running asks for minWorkers (0: the fleet goes to zero). Returned as
 * contiguous bands of the backlog, one per worker count, for a step scaling policy with exact
 * capacities (target tracking cannot start a service from zero tasks: it scales in proportion
 * to the current count).
 */
export function backlogSteps(minWorkers: number, maxWorkers: number, backlogPerWorker: number): BacklogStep[] {
  if (!Number.isInteger(minWorkers) || !Number.isInteger(maxWorkers) || minWorkers < 0 || maxWorkers < Math.max(1, minWorkers)) {
    throw new Error(`Expected 0 <= minWorkers <= maxWorkers and maxWorkers >= 1 but received ${minWorkers} and ${maxWorkers}`);
  }
  if (!Number.isInteger(backlogPerWorker) || backlogPerWorker < 1) throw new Error(`Expected backlogPerWorker to be a whole number >= 1 but received ${backlogPerWorker}`);
  const steps: BacklogStep[] = [];
  // Backlog b (a whole number) asks for ceil(b / per) workers: band k >= 1 holds (k - 1) * per + 1 ..
  // k * per. Bounds sit half-way between whole numbers, so no count ever lands on a boundary,
  // where the lower alarm (<=) and the upper alarm (>=) of a step policy would both fire.
  for (let workers = minWorkers; workers <= maxWorkers; workers++) {
    const lower = workers === minWorkers ? undefined : (workers - 1) * backlogPerWorker + 0.5;
    const upper = workers === maxWorkers ? undefined : workers * backlogPerWorker + 0.5;
    steps.push({ ...(lower === undefined ? {} : { lower }), ...(upper === undefined ? {} : { upper }), workers });
  }
  return steps;
}

export interface BacklogScalingProps {
  readonly service: ecs.Ec2Service;
  readonly backlog: cloudwatch.IMetric;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly backlogPerWorker: number;
}

/**
 * Scales the worker service's desired count on the queue backlog with the steps above. The
 * capacity provider's managed scaling then follows with instances, and task scale-in protection
 * (set by the worker while a job runs) keeps a busy task alive through a scale-in.
 */
export function scaleOnBacklog(props: BacklogScalingProps): void {
  const steps = backlogSteps(props.minWorkers, props.maxWorkers, props.backlogPerWorker);
  // A fixed-size fleet (minWorkers = maxWorkers) has nothing to scale: the service's desired count is the size.
  if (steps.length < 2) return;
  const capacity = props.service.autoScaleTaskCount({ minCapacity: props.minWorkers, maxCapacity: props.maxWorkers });
  capacity.scaleOnMetric('Backlog', {
    metric: props.backlog,
    adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
    scalingSteps: steps.map((step) => ({ lower: step.lower, upper: step.upper, change: step.workers })),
    // SQS publishes its metrics once a minute; act on one datapoint, wait a minute between actions.
    evaluationPeriods: 1,
    cooldown: Duration.minutes(1),
  });
}
