// Lambda entry on S3 ObjectCreated under inbox/: each dropped image becomes a job; results go to outbox/.
import { OBJECT_PREFIXES } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { ingestDroppedObject } from '../drop-folder/ingest-drop';
import { awsRuntime } from './aws-context';
import { createdObjectKeys, forEachKey } from './s3-event-keys';
import type { S3Handler } from './upload-validator';

/**
 * For each inbox/ object (key URL-decoded as S3 sends it): ingestDroppedObject, which refuses path
 * tricks, skips hidden and temporary files, and makes one job per file version however often the
 * event comes. Platform faults throw, so Lambda retries the event; the claim makes that safe.
 */
export function createDropFolderHandler(context: () => AppContext, owner: () => string, log: (line: string) => void = console.log): S3Handler {
  return async (event) => {
    await forEachKey(createdObjectKeys(event, OBJECT_PREFIXES.inbox), async (key) => {
      const outcome = await ingestDroppedObject(context(), key, { owner: owner() });
      log(JSON.stringify({ event: `drop.${outcome.kind}`, ...outcome }));
    });
  };
}

/** The Lambda handler: the container's runtime from the environment. */
export const handler: S3Handler = createDropFolderHandler(
  () => awsRuntime().context,
  () => awsRuntime().config.dropOwner,
);
