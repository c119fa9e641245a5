import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SqliteJobQueue } from '../../../src/adapters/local/sqlite-job-queue';
import { openStateDatabase } from '../../../src/adapters/local/state-database';
import { sleep } from '../../ports/expect-restain-error';
import { makeTempDir } from './temp-dir';

const MESSAGES = 300;

/** Starts a receiver; resolves its output lines once it exits (rejects on failure or after 20 s). */
function startReceiver(file: string, doneFlag: string, children: ChildProcess[]): { ready: Promise<void>; result: Promise<string> } {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'queue-receiver-child.ts'), file, doneFlag], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (data) => {
    out += data;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr!.on('data', (data) => (err += data));
  const result = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver ${child.pid} did not finish in 20 s`)), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.split('\n')[1]);
      else reject(new Error(`receiver exited with ${code}: ${err}`));
    });
  });
  return { ready, result };
}

describe('SqliteJobQueue shared by processes', () => {
  const children: ChildProcess[] = [];
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (temp = makeTempDir('queue-procs')));
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    temp.remove();
  });

  test('three processes receiving at once get every message exactly once', async () => {
    const file = path.join(temp.dir, 'state.db');
    const doneFlag = path.join(temp.dir, 'all-sent');
    const db = openStateDatabase(file);
    const queue = new SqliteJobQueue(db, { name: 'jobs', policy: { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionSeconds: 3600 } });
    const receivers = [0, 1, 2].map(() => startReceiver(file, doneFlag, children));
    await Promise.all(receivers.map((r) => r.ready));
    const sent = new Set<string>();
    for (let i = 0; i < MESSAGES; i++) {
      sent.add(await queue.send(`{"n":${i}}`));
      if (i % 50 === 49) await sleep(20); // let receivers interleave with the sends
    }
    writeFileSync(doneFlag, '');
    const perProcess = (await Promise.all(receivers.map((r) => r.result))).map((line) => JSON.parse(line) as { id: string; count: number }[]);
    const ids = perProcess.flat().map((m) => m.id);
    expect(ids).toHaveLength(MESSAGES);
    expect(new Set(ids)).toEqual(sent);
    expect(perProcess.flat().every((m) => m.count === 1)).toBe(true);
    expect(perProcess.filter((list) => list.length > 0).length).toBeGreaterThanOrEqual(2); // they really competed
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    db.close();
  });
});
