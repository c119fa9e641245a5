import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_POSTPROCESS_OPTIONS, type JobRecord, resultPrefix } from '@restain/shared';
import { acceptUpload } from '../../src/jobs/accept-upload';
import { ABANDONED_VERSION_MS, rescoreJob } from '../../src/results/rescore-job';
import { craftedSucceededJob } from './crafted-result';
import { type LocalTestContext, makeLocalContext, newJob, writeIhcPng } from './local-test-context';
import { closeEngine, processNextQueuedJob } from './process-queued-job';

let local: LocalTestContext;
let job: JobRecord;

beforeAll(async () => {
  local = makeLocalContext();
  const image = await writeIhcPng(path.join(local.dir, 'ihc.png'));
  const created = await newJob(local.context);
  await acceptUpload(local.context, created.id, { path: image }, { maxPixels: 1_000_000 });
  job = await processNextQueuedJob(local.context);
}, 120_000);
afterAll(async () => {
  await closeEngine();
  local.close();
});

const read = (key: string) => fs.readFileSync(local.objects.localPath(key));
const stored = async () => (await local.context.jobs.get(job.id))!.record;

describe('rescoreJob', () => {
  it('publishes v2 with changed counts for a higher seg threshold, carrying the maps over and leaving v1 untouched', async () => {
    const low = { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 80, sizeThresh: 0 };
    const crafted = await craftedSucceededJob(local.context, local.objects, low);
    const v1 = crafted.results[0];
    expect(v1.scoring).toMatchObject({ num_total: 6, num_pos: 3, seg_thresh: 80 });
    const before = new Map(v1.files.map((name) => [name, read(`${v1.prefix}${name}`)]));
    // Between the disks' probabilities (100 and 230): only the three strong disks stay cells.
    const high = { ...low, segThresh: 150 };
    const v2 = await rescoreJob(local.context, crafted, high);
    expect(v2).toMatchObject({ version: 2, prefix: resultPrefix(crafted.id, 2), postprocess: high });
    expect(v2.scoring).toMatchObject({ num_total: 3, num_pos: 2, num_neg: 1, seg_thresh: 150, prob_thresh: 150 });
    expect([...v2.files].sort()).toEqual([...v1.files].sort());
    for (const [name, bytes] of before) expect(read(`${v1.prefix}${name}`).equals(bytes)).toBe(true);
    // Inferred maps carried over byte for byte; post-processing outputs rewritten.
    for (const name of ['Hema.png', 'DAPI.png', 'Lap2.png', 'Marker.png', 'Seg.png', 'Input.png', 'DAB.png']) {
      expect(read(`${v2.prefix}${name}`).equals(before.get(name)!)).toBe(true);
    }
    expect(JSON.parse(read(`${v2.prefix}scoring.json`).toString())).toEqual(v2.scoring);
    expect(read(`${v2.prefix}SegRefined.png`).equals(before.get('SegRefined.png')!)).toBe(false);
    const manifest = JSON.parse(read(`${v2.prefix}manifest.json`).toString());
    expect(manifest).toMatchObject({ parameters: { postprocess: high }, rescoredFrom: 1 });
    const record = (await local.context.jobs.get(crafted.id))!.record;
    expect(record.results.map((result) => result.version)).toEqual([1, 2]);
    expect(record.results[1]).toEqual(v2);
    expect(record.state).toBe('succeeded');
  });

  it('re-scoring a real analysis with its own thresholds reproduces v1 exactly', async () => {
    expect(job.results[0].scoring.num_total).toBeGreaterThan(5);
    const again = await rescoreJob(local.context, await stored(), job.results[0].postprocess);
    expect(again.scoring).toEqual(job.results[0].scoring);
    expect(read(`${again.prefix}cells.csv`).equals(read(`${job.results[0].prefix}cells.csv`))).toBe(true);
  });

  it('lets one of two concurrent re-scores win a version; the other gets CONFLICT and no version is mixed', async () => {
    const current = await stored();
    const a = { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 200 };
    const b = { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 60 };
    const outcomes = await Promise.allSettled([rescoreJob(local.context, current, a), rescoreJob(local.context, current, b)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    const record = await stored();
    const latest = record.results[record.results.length - 1];
    expect(latest.version).toBe(current.results.length + 1);
    // The published folder is wholly the winner's: its manifest and scoring agree with the record.
    const manifest = JSON.parse(read(`${latest.prefix}manifest.json`).toString());
    expect(manifest.parameters.postprocess).toEqual(latest.postprocess);
    expect(JSON.parse(read(`${latest.prefix}scoring.json`).toString())).toEqual(latest.scoring);
    const listed = await local.objects.list(latest.prefix);
    expect(listed.objects.map((object) => object.key.slice(latest.prefix.length)).sort()).toEqual([...latest.files].sort());
  });

  it('refuses a folder being written now, and clears one abandoned by a crash', async () => {
    const record = await stored();
    const next = resultPrefix(job.id, record.results.length + 1);
    await local.objects.put(`${next}Hema.png`, Buffer.from('partial write of a crashed re-score'), { ifNoneMatch: '*' });
    await expect(rescoreJob(local.context, record, DEFAULT_POSTPROCESS_OPTIONS)).rejects.toMatchObject({ code: 'CONFLICT' });
    const later = { ...local.context, now: () => new Date(Date.now() + ABANDONED_VERSION_MS + 60_000) };
    const version = await rescoreJob(later, record, DEFAULT_POSTPROCESS_OPTIONS);
    expect(version.prefix).toBe(next);
    expect(read(`${next}Hema.png`).equals(read(`${job.results[0].prefix}Hema.png`))).toBe(true);
  });

  it('refuses jobs that have not succeeded and out-of-range thresholds', async () => {
    const created = await newJob(local.context);
    await expect(rescoreJob(local.context, created, DEFAULT_POSTPROCESS_OPTIONS)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is created: only a succeeded job can be re-scored/) });
    await expect(rescoreJob(local.context, job, { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 300 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Nothing was left in the scratch folder by any of the re-scores.
    expect(fs.readdirSync(local.context.config.tempDir).filter((name) => name.startsWith('rescore-'))).toEqual([]);
  });
});
