// Lambda entry on a schedule (EventBridge): deliver finished drop-folder jobs to outbox/.
import type { AppContext } from '../api/app-context';
import { type DeliveryReport, deliverPendingDrops } from '../drop-folder/deliver-outbox';
import { awsRuntime } from './aws-context';

/** What one scheduled run did (also the Lambda's result, visible in its logs and test invokes). */
export interface OutboxDeliverySummary {
  readonly delivered: number;
  readonly waiting: number;
  readonly errors: number;
}

export type OutboxDeliveryHandler = () => Promise<OutboxDeliverySummary>;

/**
 * One delivery pass over the pending drop-folder jobs (deliverPendingDrops). Faults with one job
 * leave it pending for the next run and never fail the others; only a failure to list fails the run.
 */
export function createOutboxDeliveryHandler(context: () => AppContext, log: (line: string) => void = console.log): OutboxDeliveryHandler {
  return async () => {
    const report: DeliveryReport = await deliverPendingDrops(context(), { log });
    return { delivered: report.delivered.length, waiting: report.waiting, errors: report.errors.length };
  };
}

/** The Lambda handler: the container's runtime from the environment. */
export const handler: OutboxDeliveryHandler = createOutboxDeliveryHandler(() => awsRuntime().context);
