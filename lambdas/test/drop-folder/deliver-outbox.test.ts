import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deliverFinishedDrops, deliverPendingDrops } from '../../src/drop-folder/deliver-outbox';
import { readPending, writePending } from '../../src/drop-folder/drop-ledger';
import { InboxScanner } from '../../src/drop-folder/scan-inbox';
import { deleteJob } from '../../src/jobs/delete-job';
import { runQueuedJobs } from '../support/run-queued-jobs';
import { type DropHome, createDropHome, readText, syntheticPng } from './drop-fixtures';

// Processing is the real worker (gpu-worker processJob with the built-in engine) on small synthetic images.
let h: DropHome;

beforeAll(() => {
  h = createDropHome();
});

afterAll(() => h.close());

async function scanTwice(): Promise<void> {
  const scanner = new InboxScanner(h.context);
  await scanner.scanOnce();
  await scanner.scanOnce();
}

function outboxFiles(relative: string): string[] {
  return readdirSync(path.join(h.dataDir, 'outbox', relative)).sort();
}

const HEADER = 'path,state,num_total,num_pos,num_neg,percent_pos,h_score,error';

describe('drop folder delivery', () => {
  it('puts each finished image into outbox/<path>/, a bad file error.json, and a summary per folder', async () => {
    h.drop('batch/a.png', await syntheticPng(11));
    h.drop('b.png', await syntheticPng(12));
    h.drop('batch/notes.txt', 'these are not pixels\n');
    await scanTwice();
    const jobs = await h.allJobs();
    expect(jobs.map((job) => `${job.dropPath}:${job.state}`).sort()).toEqual(['b.png:queued', 'batch/a.png:queued', 'batch/notes.txt:failed']);

    // Nothing is delivered while the images are still queued; the failed file already can be.
    const early = await deliverPendingDrops(h.context);
    expect(early.delivered).toEqual([expect.objectContaining({ dropPath: 'batch/notes.txt', outcome: 'failed' })]);
    expect(early.waiting).toBe(2);

    expect((await runQueuedJobs(h.context)).map((outcome) => outcome.kind)).toEqual(['succeeded', 'succeeded']);
    const report = await deliverPendingDrops(h.context);
    expect(report.delivered.map((entry) => `${entry.dropPath}:${entry.outcome}`).sort()).toEqual(['b.png:succeeded', 'batch/a.png:succeeded']);
    expect(report.errors).toEqual([]);

    const a = (await h.allJobs()).find((job) => job.dropPath === 'batch/a.png')!;
    const v1 = a.results[0];
    expect(outboxFiles('batch/a.png')).toEqual([...v1.files].sort());
    expect(v1.files).toEqual(expect.arrayContaining(['scoring.json', 'manifest.json', 'Seg.png']));
    const scoring = JSON.parse(readText(h, 'outbox/batch/a.png/scoring.json'));
    expect(scoring).toEqual(v1.scoring);
    expect(scoring.num_total).toBeGreaterThan(0);
    expect(JSON.parse(readText(h, 'outbox/batch/a.png/manifest.json')).input.sha256).toBe(a.input?.sha256);

    const error = JSON.parse(readText(h, 'outbox/batch/notes.txt/error.json'));
    expect(error).toMatchObject({ code: 'UNSUPPORTED_FORMAT', input: 'batch/notes.txt', message: expect.stringContaining('notes.txt') });
    expect(outboxFiles('batch/notes.txt')).toEqual(['error.json']);

    const s = v1.scoring;
    expect(readText(h, 'outbox/batch/summary.csv').split('\r\n')).toEqual([
      HEADER,
      `batch/a.png,succeeded,${s.num_total},${s.num_pos},${s.num_neg},${s.percent_pos},${s.h_score ?? ''},`,
      `batch/notes.txt,failed,,,,,,"UNSUPPORTED_FORMAT: ${error.message.replace(/"/g, '""')}"`,
      '',
    ]);
    expect(readText(h, 'outbox/summary.csv')).toMatch(/^path,.*\r\nb\.png,succeeded,\d+,\d+,\d+,[\d.]+,[\d.]*,\r\n$/);

    // Delivered once: the next pass finds nothing to do.
    expect(await deliverPendingDrops(h.context)).toEqual({ delivered: [], waiting: 0, errors: [] });
  });

  it('redoes an interrupted delivery to the same result, and a re-dropped file replaces the earlier outcome', async () => {
    const before = readText(h, 'outbox/batch/summary.csv');
    const notes = (await h.allJobs()).find((job) => job.dropPath === 'batch/notes.txt')!;
    const a = (await h.allJobs()).find((job) => job.dropPath === 'batch/a.png')!;
    // A deliverer killed before it removed its pending entry: the pass runs again, same outcome.
    const claimOfA = { jobId: a.id, inboxKey: 'inbox/batch/a.png', dropPath: 'batch/a.png', sizeBytes: 1, etag: 'x', claimedAt: a.createdAt };
    await writePending(h.objects, claimOfA);
    const redo = await deliverPendingDrops(h.context);
    expect(redo.delivered).toEqual([{ jobId: a.id, dropPath: 'batch/a.png', outcome: 'succeeded' }]);
    expect(readText(h, 'outbox/batch/summary.csv')).toBe(before);
    expect(await readPending(h.objects, a.id)).toBeUndefined();

    // The user fixes the bad file: a new version at the same path becomes a new job whose results replace error.json.
    writeFileSync(path.join(h.dataDir, 'inbox/batch/notes.txt'), await syntheticPng(13));
    await scanTwice();
    expect((await runQueuedJobs(h.context)).map((outcome) => outcome.kind)).toEqual(['succeeded']);
    const fixed = await deliverPendingDrops(h.context);
    expect(fixed.delivered).toEqual([expect.objectContaining({ dropPath: 'batch/notes.txt', outcome: 'succeeded' })]);
    expect(existsSync(path.join(h.dataDir, 'outbox/batch/notes.txt/error.json'))).toBe(false);
    expect(outboxFiles('batch/notes.txt')).toContain('scoring.json');
    expect(readText(h, 'outbox/batch/summary.csv')).toMatch(/\r\nbatch\/notes\.txt,succeeded,\d+/);

    // The old failed job delivered late (e.g. a stuck deliverer) must not bring error.json back.
    await writePending(h.objects, { ...claimOfA, jobId: notes.id, inboxKey: 'inbox/batch/notes.txt', dropPath: 'batch/notes.txt', claimedAt: notes.createdAt });
    const late = await deliverPendingDrops(h.context);
    expect(late.delivered).toEqual([{ jobId: notes.id, dropPath: 'batch/notes.txt', outcome: 'superseded' }]);
    expect(existsSync(path.join(h.dataDir, 'outbox/batch/notes.txt/error.json'))).toBe(false);
    expect(readText(h, 'outbox/batch/summary.csv')).toMatch(/\r\nbatch\/notes\.txt,succeeded,\d+/);
  });

  it('reports a job its owner deleted before it finished in error.json', async () => {
    h.drop('gone/slide.png', await syntheticPng(14));
    await scanTwice();
    const job = (await h.allJobs()).find((record) => record.dropPath === 'gone/slide.png')!;
    expect(job.state).toBe('queued');
    await deleteJob(h.context, job.id);
    const report = await deliverPendingDrops(h.context);
    expect(report.delivered).toEqual([{ jobId: job.id, dropPath: 'gone/slide.png', outcome: 'failed' }]);
    expect(JSON.parse(readText(h, 'outbox/gone/slide.png/error.json'))).toEqual({
      code: 'NOT_FOUND',
      message: 'The job for gone/slide.png was deleted before it finished; drop the file again to retry',
      input: 'gone/slide.png',
      jobId: job.id,
    });
    // Its queue message finds no job and is dropped by the worker.
    expect((await runQueuedJobs(h.context)).map((outcome) => outcome.kind)).toEqual(['dropped']);
  });

  it('runs as a loop until aborted', async () => {
    h.drop('loop/bad.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    await scanTwice();
    const controller = new AbortController();
    const loop = deliverFinishedDrops(h.context, { signal: controller.signal, intervalMs: 20 });
    const deadline = Date.now() + 10_000;
    while (!existsSync(path.join(h.dataDir, 'outbox/loop/bad.png/error.json')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await loop;
    expect(JSON.parse(readText(h, 'outbox/loop/bad.png/error.json')).code).toBe('CORRUPT_IMAGE');
    expect(readText(h, 'outbox/loop/summary.csv')).toMatch(/\r\nloop\/bad\.png,failed,,,,,,"?CORRUPT_IMAGE: /);
  });
});
