import { type ObjectInfo, OBJECT_PREFIXES } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { dropIdentity } from './drop-ledger';
import { type IngestDropOptions, type IngestOutcome, ingestDroppedObject } from './ingest-drop';
import { sleep } from './sleep';

export interface InboxScanOptions extends Omit<IngestDropOptions, 'info'> {
  /**
   * Consecutive scans that must see a file with the same size and etag (mtime on the local
   * folder) before it counts as complete; 2 means "unchanged for one interval". Default 2.
   */
  readonly stableScans?: number;
  /** One line per event worth telling the operator (new job, bad file, refused path, scan fault). */
  readonly log?: (line: string) => void;
}

/** What one scan did. */
export interface ScanReport {
  /** Objects seen under inbox/ (all kinds). */
  readonly seen: number;
  /** Files still changing or not yet seen long enough. */
  readonly waiting: number;
  /** Outcomes of the files ingested in this scan. */
  readonly outcomes: readonly IngestOutcome[];
  /** Files whose ingestion hit a platform fault; they are retried on the next scan. */
  readonly errors: readonly { readonly key: string; readonly message: string }[];
}

interface Sighting {
  readonly identity: string;
  readonly count: number;
}

/**
 * A poller of the inbox/ prefix for the local home (S3 events do this on AWS). Keeps, in memory,
 * how long each file has looked unchanged and which file versions it already handed on; across
 * restarts the ledger's create-only claims keep a file version from becoming a second job.
 */
export class InboxScanner {
  private readonly sightings = new Map<string, Sighting>();
  /** Identity of the version of each key already ingested (or refused) by this scanner. */
  private readonly handled = new Map<string, string>();
  /** Key -> file version whose ingest this scanner began and saw fail: nobody else is on it, resume at once. */
  private readonly interrupted = new Map<string, string>();
  private readonly stableScans: number;

  constructor(
    private readonly context: AppContext,
    private readonly options: InboxScanOptions = {},
  ) {
    this.stableScans = Math.max(1, Math.floor(options.stableScans ?? 2));
  }

  private async *listInbox(): AsyncGenerator<ObjectInfo> {
    let startAfter: string | undefined;
    do {
      const page = await this.context.objects.list(OBJECT_PREFIXES.inbox, { startAfter, limit: 1000 });
      yield* page.objects;
      startAfter = page.nextStartAfter;
    } while (startAfter);
  }

  /**
   * List the inbox once and ingest every file that has stayed the same for `stableScans` scans;
   * stops ingesting early when `signal` aborts (the rest waits for the next run).
   */
  async scanOnce(signal?: AbortSignal): Promise<ScanReport> {
    const present = new Set<string>();
    const ready: ObjectInfo[] = [];
    let seen = 0;
    let waiting = 0;
    for await (const info of this.listInbox()) {
      seen++;
      present.add(info.key);
      const identity = dropIdentity(info);
      if (this.handled.get(info.key) === identity) continue;
      const previous = this.sightings.get(info.key);
      const count = previous?.identity === identity ? previous.count + 1 : 1;
      this.sightings.set(info.key, { identity, count });
      if (count >= this.stableScans) ready.push(info);
      else waiting++;
    }
    // Forget files that left the inbox, so memory follows what is there now.
    for (const key of [...this.sightings.keys()]) if (!present.has(key)) this.sightings.delete(key);
    for (const key of [...this.handled.keys()]) if (!present.has(key)) this.handled.delete(key);
    for (const key of [...this.interrupted.keys()]) if (!present.has(key)) this.interrupted.delete(key);

    const outcomes: IngestOutcome[] = [];
    const errors: { key: string; message: string }[] = [];
    for (const info of ready) {
      if (signal?.aborted) break;
      const identity = dropIdentity(info);
      try {
        const resumeNow = this.interrupted.get(info.key) === identity ? { resumeAfterSeconds: 0 } : {};
        const outcome = await ingestDroppedObject(this.context, info.key, { ...this.options, ...resumeNow, info });
        this.interrupted.delete(info.key);
        outcomes.push(outcome);
        // In progress elsewhere: look again next scan, and finish it if that ingest stopped.
        if (outcome.kind !== 'in-progress') {
          this.handled.set(info.key, identity);
          this.sightings.delete(info.key);
        }
        this.report(outcome);
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        this.interrupted.set(info.key, identity);
        errors.push({ key: info.key, message });
        this.options.log?.(`drop folder: ${info.key} will be retried: ${message}`);
      }
    }
    return { seen, waiting, outcomes, errors };
  }

  private report(outcome: IngestOutcome): void {
    const log = this.options.log;
    if (!log) return;
    if (outcome.kind === 'queued') log(`drop folder: ${outcome.key} -> job ${outcome.jobId}`);
    else if (outcome.kind === 'failed') log(`drop folder: ${outcome.key} -> job ${outcome.jobId} failed: ${outcome.error.message}`);
    else if (outcome.kind === 'refused') log(`drop folder: refused ${JSON.stringify(outcome.key)}: ${outcome.reason}`);
  }
}

export interface WatchInboxOptions extends InboxScanOptions {
  /** Pause between scans, in milliseconds (default 1000). */
  readonly intervalMs?: number;
  /** Stops the watch; the returned promise resolves after the scan in progress ends. */
  readonly signal: AbortSignal;
}

/** Watch inbox/ until `signal` aborts: scan, ingest what is complete, wait `intervalMs`, repeat. */
export async function watchInbox(context: AppContext, options: WatchInboxOptions): Promise<void> {
  const scanner = new InboxScanner(context, options);
  const intervalMs = options.intervalMs ?? 1000;
  while (!options.signal.aborted) {
    try {
      await scanner.scanOnce(options.signal);
    } catch (error) {
      // A failed listing (disk, network) must not end the watch: report it and try again.
      options.log?.(`drop folder: inbox scan failed: ${(error as Error)?.message ?? String(error)}`);
    }
    await sleep(intervalMs, options.signal);
  }
}
