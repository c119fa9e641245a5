import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { claimDrop, removePending, writePending } from '../../src/drop-folder/drop-ledger';
import { ingestDroppedObject } from '../../src/drop-folder/ingest-drop';
import { InboxScanner, watchInbox } from '../../src/drop-folder/scan-inbox';
import { type DropHome, createDropHome, readText, syntheticPng } from './drop-fixtures';

let png: Uint8Array;
const homes: DropHome[] = [];

function home(): DropHome {
  const created = createDropHome();
  homes.push(created);
  return created;
}

beforeAll(async () => {
  png = await syntheticPng(7);
});

afterAll(() => {
  for (const created of homes) created.close();
});

describe('InboxScanner', () => {
  it('turns every complete image in the inbox and its subfolders into one queued drop-folder job', async () => {
    const h = home();
    h.drop('top.png', png);
    h.drop('batch/a.png', png);
    h.drop('batch/deeper/b.png', png);
    const scanner = new InboxScanner(h.context);

    const first = await scanner.scanOnce();
    expect(first).toMatchObject({ seen: 3, waiting: 3, outcomes: [] });
    expect(await h.allJobs()).toHaveLength(0);

    const second = await scanner.scanOnce();
    expect(second.outcomes.map((outcome) => outcome.kind)).toEqual(['queued', 'queued', 'queued']);
    const jobs = await h.allJobs();
    expect(jobs.map((job) => job.dropPath).sort()).toEqual(['batch/a.png', 'batch/deeper/b.png', 'top.png']);
    for (const job of jobs) {
      expect(job).toMatchObject({ state: 'queued', source: 'drop-folder', owner: 'local', options: { scale: { kind: 'auto' }, page: 0 } });
      expect(job.input?.displayName).toBe(job.dropPath?.split('/').pop());
    }
    expect((await h.context.queue.depth()).visible).toBe(3);
    // The folder summaries list the images as pending until their outcome is delivered.
    expect(readText(h, 'outbox/batch/summary.csv')).toBe('path,state,num_total,num_pos,num_neg,percent_pos,h_score,error\r\nbatch/a.png,pending,,,,,,\r\n');
    expect(readText(h, 'outbox/summary.csv')).toContain('top.png,pending');

    const third = await scanner.scanOnce();
    expect(third.outcomes).toEqual([]);
    expect(await h.allJobs()).toHaveLength(3);
  });

  it('does not pick up a file while it is still being written, only once it stops changing', async () => {
    const h = home();
    const file = h.drop('slow/slide.png', png.subarray(0, 100));
    const scanner = new InboxScanner(h.context, { stableScans: 2 });
    const chunk = Math.ceil(png.length / 4);
    for (let offset = 100; offset < png.length; offset += chunk) {
      const report = await scanner.scanOnce();
      expect(report.outcomes).toEqual([]);
      expect(report.waiting).toBe(1);
      appendFileSync(file, png.subarray(offset, Math.min(png.length, offset + chunk)));
    }
    expect(await h.allJobs()).toHaveLength(0);
    expect((await scanner.scanOnce()).outcomes).toEqual([]); // first sight of the finished file
    const done = await scanner.scanOnce();
    expect(done.outcomes).toEqual([expect.objectContaining({ kind: 'queued', dropPath: 'slow/slide.png' })]);
    const [job] = await h.allJobs();
    expect(job.input?.width).toBe(192); // the whole image arrived, not a prefix
  });

  it('makes one job per file across a restart and between two scanners racing on the same inbox', async () => {
    const h = home();
    h.drop('x.png', png);
    h.drop('y/z.png', png);
    const racers = [new InboxScanner(h.context), new InboxScanner(h.context), new InboxScanner(h.context)];
    await Promise.all(racers.map((scanner) => scanner.scanOnce()));
    const reports = await Promise.all(racers.map((scanner) => scanner.scanOnce()));
    const kinds = reports.flatMap((report) => report.outcomes.map((outcome) => outcome.kind)).sort();
    expect(kinds.filter((kind) => kind === 'queued')).toHaveLength(2);
    expect(kinds.filter((kind) => kind !== 'queued').every((kind) => kind === 'duplicate' || kind === 'in-progress')).toBe(true);
    expect(await h.allJobs()).toHaveLength(2);
    expect((await h.context.queue.depth()).visible).toBe(2);

    // A restarted platform has a fresh scanner with no memory: the ledger still knows.
    const restarted = new InboxScanner(h.context);
    await restarted.scanOnce();
    const again = await restarted.scanOnce();
    expect(again.outcomes.map((outcome) => outcome.kind)).toEqual(['duplicate', 'duplicate']);
    expect(await h.allJobs()).toHaveLength(2);
    expect((await h.context.queue.depth()).visible).toBe(2);

    // A changed file is a new version and becomes a new job.
    writeFileSync(`${h.dataDir}/inbox/x.png`, await syntheticPng(8));
    await restarted.scanOnce();
    const changed = await restarted.scanOnce();
    expect(changed.outcomes).toEqual([expect.objectContaining({ kind: 'queued', dropPath: 'x.png' })]);
    expect(await h.allJobs()).toHaveLength(3);
  });

  it('finishes an ingest that stopped after claiming the file, once the claim has gone stale', async () => {
    const h = home();
    h.drop('crashed.png', png);
    const info = (await h.objects.head('inbox/crashed.png'))!;
    const jobId = '6f1c2b8e-8d4f-4a51-9a0e-2b7c1d3e4f50';
    // What a scanner killed right after its claim leaves behind: a pending entry and a claim, no job.
    const claim = { jobId, inboxKey: 'inbox/crashed.png', dropPath: 'crashed.png', sizeBytes: info.sizeBytes, etag: info.etag, claimedAt: new Date().toISOString() };
    await writePending(h.objects, claim);
    await claimDrop(h.objects, claim);

    const soon = await ingestDroppedObject(h.context, 'inbox/crashed.png');
    expect(soon).toEqual({ kind: 'in-progress', key: 'inbox/crashed.png', dropPath: 'crashed.png', jobId });
    expect(await h.allJobs()).toHaveLength(0);

    const later = { ...h.context, now: () => new Date(Date.now() + 301_000) };
    const scanner = new InboxScanner(later);
    await scanner.scanOnce();
    expect((await scanner.scanOnce()).outcomes).toEqual([expect.objectContaining({ kind: 'queued', jobId })]);
    expect((await h.allJobs()).map((job) => [job.id, job.state])).toEqual([[jobId, 'queued']]);
  });

  it('never brings back a job that was delivered and then forgotten by retention, or deleted by its owner', async () => {
    const h = home();
    h.drop('old.png', png);
    h.drop('deleted.png', png);
    const scanner = new InboxScanner(h.context);
    await scanner.scanOnce();
    await scanner.scanOnce();
    const jobs = await h.allJobs();
    const byPath = new Map(jobs.map((job) => [job.dropPath, job.id]));
    // old.png: delivered (pending entry gone), then its record removed by retention; deleted.png: deleted before delivery.
    await removePending(h.objects, byPath.get('old.png')!);
    for (const job of jobs) await h.context.jobs.delete(job.id);

    const restarted = new InboxScanner({ ...h.context, now: () => new Date(Date.now() + 3600_000) });
    await restarted.scanOnce();
    const report = await restarted.scanOnce();
    expect(report.outcomes.map((outcome) => [outcome.kind, 'state' in outcome ? outcome.state : undefined])).toEqual([
      ['duplicate', 'gone'],
      ['duplicate', 'gone'],
    ]);
    expect(await h.allJobs()).toHaveLength(0);
  });

  it('retries a file whose ingest hit a platform fault on the next scan, without waiting for its claim to go stale', async () => {
    const h = home();
    h.drop('retry.png', png);
    const blocker = `${h.dir}/blocker`;
    writeFileSync(blocker, 'a file where the temp folder should be');
    const lines: string[] = [];
    const scanner = new InboxScanner({ ...h.context, config: { ...h.context.config, tempDir: `${blocker}/tmp` } }, { log: (line) => lines.push(line) });
    await scanner.scanOnce();
    const failed = await scanner.scanOnce();
    expect(failed.outcomes).toEqual([]);
    expect(failed.errors).toEqual([{ key: 'inbox/retry.png', message: expect.stringContaining('ENOTDIR') }]);
    expect(lines).toEqual([expect.stringContaining('drop folder: inbox/retry.png will be retried')]);
    const [stuck] = await h.allJobs();
    expect(stuck.state).toBe('created');

    rmSync(blocker);
    const retried = await scanner.scanOnce();
    expect(retried.outcomes).toEqual([expect.objectContaining({ kind: 'queued', jobId: stuck.id })]);
    expect((await h.allJobs()).map((job) => job.state)).toEqual(['queued']);
  });

  it('ignores hidden and half-downloaded files and refuses path tricks, saying so once', async () => {
    const h = home();
    for (const name of ['.hidden.png', '.cache/a.png', 'a.png.part', 'b.png.crdownload', '~$c.png', 'd.tmp', 'e.png~']) h.drop(name, png);
    h.drop('back\\slash.png', png);
    h.drop('new\nline.png', png);
    h.drop('batch/summary.csv', 'path,state\n');
    const lines: string[] = [];
    const scanner = new InboxScanner(h.context, { log: (line) => lines.push(line) });
    for (let scan = 0; scan < 3; scan++) await scanner.scanOnce();
    expect(await h.allJobs()).toHaveLength(0);
    expect(lines.filter((line) => line.includes('refused'))).toHaveLength(3);
    expect(lines.join('\n')).toContain('backslash');

    const direct = await ingestDroppedObject(h.context, 'inbox/../state.sqlite');
    expect(direct).toMatchObject({ kind: 'refused', reason: expect.stringContaining('..') });
    expect(await h.allJobs()).toHaveLength(0);
  });
});

describe('watchInbox', () => {
  it('keeps scanning until aborted and ingests files dropped while it runs', async () => {
    const h = home();
    const controller = new AbortController();
    const watching = watchInbox(h.context, { intervalMs: 20, signal: controller.signal });
    h.drop('live/late.png', png);
    const deadline = Date.now() + 10_000;
    while ((await h.allJobs()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await watching;
    expect((await h.allJobs()).map((job) => job.dropPath)).toEqual(['live/late.png']);
  });
});
