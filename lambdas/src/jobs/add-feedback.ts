import { type JobFeedback, RestainError, updateJob } from '@restain/shared';
import type { AppContext } from '../api/app-context';

export const MAX_FEEDBACK_CHARS = 2000;
/** Notes kept per job: enough for a conversation, not a place to store documents. */
export const MAX_FEEDBACK_ENTRIES = 50;

/** Appends the user's note about a job's result to its record (the web shows and collects these). */
export async function addJobFeedback(context: AppContext, jobId: string, text: string): Promise<JobFeedback> {
  const trimmed = text.trim();
  if (trimmed.length === 0 || [...trimmed].length > MAX_FEEDBACK_CHARS) {
    throw new RestainError('INVALID_ARGUMENT', `Expected feedback text of 1 to ${MAX_FEEDBACK_CHARS} characters but received ${[...trimmed].length}`);
  }
  const entry: JobFeedback = { text: trimmed, createdAt: context.now().toISOString() };
  const updated = await updateJob(context.jobs, jobId, (record) => {
    if (record.state === 'deleted') throw new RestainError('NOT_FOUND', `No job ${jobId} found for this caller`);
    const feedback = record.feedback ?? [];
    if (feedback.length >= MAX_FEEDBACK_ENTRIES) {
      throw new RestainError('CONFLICT', `Job ${jobId} already holds ${MAX_FEEDBACK_ENTRIES} feedback notes, the most it keeps`);
    }
    return { ...record, feedback: [...feedback, entry], updatedAt: entry.createdAt };
  });
  if (!updated) throw new RestainError('NOT_FOUND', `No job ${jobId} found for this caller`);
  return entry;
}
