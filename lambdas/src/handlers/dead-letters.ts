// Lambda entry on the analysis dead-letter queue (SQS event source, ReportBatchItemFailures on).
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { failDeadLetteredJob } from '@restain/gpu-worker';
import { decodeJobMessage } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { awsRuntime } from './aws-context';

export type DeadLetterHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface DeadLetterSettings {
  readonly context: AppContext;
  /** The queue's redrive count: how many times a dead-lettered job at least failed. */
  readonly maxReceiveCount: number;
}

/**
 * For each dead-lettered job message: fail the job with its reason (its last recorded error, or a
 * crash) unless it already finished. A malformed body is logged and dropped. Messages whose job
 * could not be updated are reported in batchItemFailures, so SQS redelivers only those.
 */
export function createDeadLetterHandler(settings: () => DeadLetterSettings, log: (line: string) => void = console.log): DeadLetterHandler {
  return async (event) => {
    const { context, maxReceiveCount } = settings();
    const deps = {
      jobs: context.jobs,
      maxReceiveCount,
      retentionSeconds: context.config.retentionSeconds,
      now: context.now,
      log: (name: string, fields?: Record<string, unknown>) => log(JSON.stringify({ event: name, ...fields })),
    };
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      let jobId: string;
      try {
        jobId = decodeJobMessage(record.body).jobId;
      } catch (error) {
        deps.log('dead-letter.malformed', { messageId: record.messageId, error: (error as Error).message });
        continue;
      }
      try {
        await failDeadLetteredJob(deps, jobId, record.messageId);
      } catch (error) {
        deps.log('dead-letter.update-failed', { messageId: record.messageId, jobId, error: (error as Error)?.message ?? String(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** The Lambda handler: the container's runtime from the environment. */
export const handler: DeadLetterHandler = createDeadLetterHandler(() => {
  const { context, config } = awsRuntime();
  return { context, maxReceiveCount: config.maxReceiveCount };
});
