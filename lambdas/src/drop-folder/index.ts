// The drop folder: inbox/ objects become jobs, finished jobs land in outbox/ (local poller or S3 events).
export { type IngestDropOptions, type IngestOutcome, DEFAULT_DROP_JOB_OPTIONS, DEFAULT_DROP_OWNER, ingestDroppedObject } from './ingest-drop';
export { type InboxScanOptions, type ScanReport, type WatchInboxOptions, InboxScanner, watchInbox } from './scan-inbox';
export {
  type DeliverFinishedDropsOptions,
  type DeliveryOptions,
  type DeliveryReport,
  ERROR_FILE,
  deliverFinishedDrops,
  deliverPendingDrops,
} from './deliver-outbox';
export { classifyInboxKey, summaryKey, type InboxEntry } from './drop-paths';
