import { randomBytes, randomUUID } from 'node:crypto';
import { RestainError } from '../../errors';
import type { JobQueue, QueueDepth, QueueMessage, QueuePolicy, ReceiveOptions } from '../../ports/job-queue';
import { assertQueuePolicy, assertReceiveOptions, assertSend, assertVisibility } from './queue-limits';
import { waitForMessage, wakeReceivers } from './queue-wakeups';
import type { StateDatabase } from './state-database';

export interface SqliteJobQueueOptions {
  /** Queue name: many queues share one table. */
  readonly name: string;
  readonly policy: QueuePolicy;
  /** Messages received policy.maxReceiveCount times move here on their next receive (SQS redrive). */
  readonly deadLetterQueueName?: string;
  /** How often a long poll looks for messages sent by other processes (default 25 ms). */
  readonly pollIntervalMs?: number;
}

/** A received message; messages in a dead-letter queue also say when and from where they came. */
export interface SqliteQueueMessage extends QueueMessage {
  readonly movedAt?: Date;
  readonly movedFrom?: string;
}

interface MessageRow {
  id: string;
  body: string;
  sent_at: number;
  receive_count: number;
  moved_at: number | null;
  moved_from: string | null;
}

/**
 * JobQueue on the state database with SQS semantics: at-least-once delivery, long polling,
 * visibility timeouts, a fresh receipt handle per receive (older ones are refused), receive counts,
 * redrive to a dead-letter queue, and retention counted from the first send. Every claim runs in a
 * BEGIN IMMEDIATE transaction, so processes sharing the file never receive one message twice
 * within its visibility timeout.
 */
export class SqliteJobQueue implements JobQueue {
  readonly name: string;
  private readonly db: StateDatabase;
  private readonly options: SqliteJobQueueOptions;
  private readonly pollIntervalMs: number;
  private deadLetter?: SqliteJobQueue;
  private readonly sql;

  constructor(db: StateDatabase, options: SqliteJobQueueOptions) {
    assertQueuePolicy(options.policy);
    if (!options.name || options.name === options.deadLetterQueueName) {
      throw new RestainError('INVALID_ARGUMENT', `Expected a queue name distinct from its dead-letter queue but received ${JSON.stringify(options.name)} and ${JSON.stringify(options.deadLetterQueueName)}`);
    }
    this.db = db;
    this.name = options.name;
    this.options = options;
    this.pollIntervalMs = options.pollIntervalMs ?? 25;
    this.sql = {
      insert: db.prepare('INSERT INTO queue_messages (id, queue, body, sent_at, visible_at) VALUES (?, ?, ?, ?, ?)'),
      anyReady: db.prepare('SELECT 1 FROM queue_messages WHERE queue = ? AND visible_at <= ? LIMIT 1').pluck(),
      dropExpired: db.prepare('DELETE FROM queue_messages WHERE queue = ? AND sent_at < ?'),
      deadLetter: db.prepare(`UPDATE queue_messages SET queue = ?, moved_at = ?, moved_from = queue, visible_at = ?, receipt = NULL
        WHERE queue = ? AND visible_at <= ? AND receive_count >= ?`),
      ready: db.prepare(`SELECT id, body, sent_at, receive_count, moved_at, moved_from FROM queue_messages
        WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, rowid LIMIT ?`),
      claim: db.prepare('UPDATE queue_messages SET receipt = ?, visible_at = ?, receive_count = receive_count + 1 WHERE id = ?'),
      lease: db.prepare('UPDATE queue_messages SET visible_at = ? WHERE id = ? AND queue = ? AND receipt = ?'),
      remove: db.prepare('DELETE FROM queue_messages WHERE id = ? AND queue = ? AND receipt = ?'),
      find: db.prepare('SELECT queue, receive_count FROM queue_messages WHERE id = ?'),
      depth: db.prepare(`SELECT COALESCE(SUM(visible_at <= @now), 0) AS visible,
        COALESCE(SUM(visible_at > @now AND receive_count > 0), 0) AS inFlight,
        COALESCE(SUM(visible_at > @now AND receive_count = 0), 0) AS delayed
        FROM queue_messages WHERE queue = @queue AND sent_at >= @cutoff`),
    };
  }

  async send(body: string, options: { readonly delaySeconds?: number } = {}): Promise<string> {
    const delaySeconds = options.delaySeconds ?? 0;
    assertSend(body, delaySeconds);
    const id = randomUUID();
    const now = Date.now();
    this.sql.insert.run(id, this.name, body, now, now + Math.round(delaySeconds * 1000));
    if (delaySeconds === 0) wakeReceivers(this.db, this.name);
    return id;
  }

  async receive(options: ReceiveOptions): Promise<SqliteQueueMessage[]> {
    assertReceiveOptions(options);
    const deadline = Date.now() + options.waitTimeSeconds * 1000;
    const visibilityMs = Math.round((options.visibilityTimeoutSeconds ?? this.options.policy.visibilityTimeoutSeconds) * 1000);
    for (;;) {
      if (options.signal?.aborted) return [];
      const messages = this.claim(options.maxMessages ?? 1, visibilityMs);
      const left = deadline - Date.now();
      if (messages.length > 0 || left <= 0) return messages;
      await waitForMessage(this.db, this.name, Math.min(this.pollIntervalMs, left), options.signal);
    }
  }

  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    assertVisibility(visibilityTimeoutSeconds);
    const id = messageIdOf(receiptHandle);
    const visibleAt = Date.now() + Math.round(visibilityTimeoutSeconds * 1000);
    if (this.sql.lease.run(visibleAt, id, this.name, receiptHandle).changes === 0) this.refuse('change the visibility of', id, true);
    // A lease handed back (0 s) is receivable now: wake this process's pollers.
    if (visibilityTimeoutSeconds === 0) wakeReceivers(this.db, this.name);
  }

  async delete(receiptHandle: string): Promise<void> {
    const id = messageIdOf(receiptHandle);
    if (this.sql.remove.run(id, this.name, receiptHandle).changes === 0) this.refuse('delete', id, false);
  }

  async depth(): Promise<QueueDepth> {
    const now = Date.now();
    return this.sql.depth.get({ queue: this.name, now, cutoff: now - this.options.policy.retentionSeconds * 1000 }) as QueueDepth;
  }

  /** The dead-letter queue as a queue of its own (same policy, no further redrive), if configured. */
  deadLetterQueue(): SqliteJobQueue | undefined {
    const name = this.options.deadLetterQueueName;
    if (name && !this.deadLetter) {
      this.deadLetter = new SqliteJobQueue(this.db, { name, policy: this.options.policy, pollIntervalMs: this.pollIntervalMs });
    }
    return this.deadLetter;
  }

  /** One receive attempt: drops expired messages, redrives exhausted ones, claims up to `max`. */
  private claim(max: number, visibilityMs: number): SqliteQueueMessage[] {
    const now = Date.now();
    if (!this.sql.anyReady.get(this.name, now)) return []; // read-only check: no write lock while idle
    return this.db.transaction((): SqliteQueueMessage[] => {
      this.sql.dropExpired.run(this.name, now - this.options.policy.retentionSeconds * 1000);
      const dlq = this.options.deadLetterQueueName;
      // SQS redrive: a message already received maxReceiveCount times moves instead of being delivered again.
      if (dlq && this.sql.deadLetter.run(dlq, now, now, this.name, now, this.options.policy.maxReceiveCount).changes > 0) {
        wakeReceivers(this.db, dlq);
      }
      const rows = this.sql.ready.all(this.name, now, max) as MessageRow[];
      return rows.map((row) => {
        const receiptHandle = `${row.id}.${randomBytes(16).toString('base64url')}`;
        this.sql.claim.run(receiptHandle, now + visibilityMs, row.id);
        return {
          messageId: row.id,
          body: row.body,
          receiptHandle,
          receiveCount: row.receive_count + 1,
          sentAt: new Date(row.sent_at),
          ...(row.moved_at !== null ? { movedAt: new Date(row.moved_at), movedFrom: row.moved_from ?? undefined } : {}),
        };
      });
    }).immediate();
  }

  /** Says why a receipt handle no longer works: the message is gone, moved, or was received again. */
  private refuse(action: string, id: string, whenGone: boolean): void {
    const row = this.sql.find.get(id) as { queue: string; receive_count: number } | undefined;
    if (!row && !whenGone) return; // already deleted (or expired): deleting it again is not an error (SQS)
    const why = !row
      ? 'it is no longer in the queue (deleted, or past retention)'
      : row.queue !== this.name
        ? `it was moved to queue ${row.queue}`
        : `the receipt handle is stale: the message was received again (receive ${row.receive_count})`;
    throw new RestainError('PRECONDITION_FAILED', `Expected to ${action} message ${id} in queue ${this.name} but ${why}`);
  }
}

function messageIdOf(receiptHandle: string): string {
  const dot = typeof receiptHandle === 'string' ? receiptHandle.indexOf('.') : -1;
  if (dot <= 0) throw new RestainError('INVALID_ARGUMENT', `Expected a receipt handle from receive() but received ${JSON.stringify(receiptHandle)}`);
  return receiptHandle.slice(0, dot);
}
