// Child process of sqlite-job-queue-processes.test.ts: receives from the shared database file until
// the parent says all messages are sent and a long poll comes back empty; deletes each message it
// got and prints their ids (one JSON line).
import { existsSync } from 'node:fs';
import { SqliteJobQueue } from '../../../src/adapters/local/sqlite-job-queue';
import { openStateDatabase } from '../../../src/adapters/local/state-database';

async function main(): Promise<void> {
  const [file, doneFlag] = process.argv.slice(2);
  const db = openStateDatabase(file);
  const queue = new SqliteJobQueue(db, { name: 'jobs', policy: { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionSeconds: 3600 } });
  process.stdout.write('ready\n');
  const received: { id: string; count: number }[] = [];
  for (let round = 0; round < 2000; round++) {
    const batch = await queue.receive({ waitTimeSeconds: 1, maxMessages: 1 + (round % 10) });
    for (const message of batch) {
      received.push({ id: message.messageId, count: message.receiveCount });
      await queue.delete(message.receiptHandle);
    }
    if (batch.length === 0 && existsSync(doneFlag)) break;
  }
  db.close();
  process.stdout.write(`${JSON.stringify(received)}\n`);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
