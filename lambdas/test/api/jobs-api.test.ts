import { existsSync } from 'node:fs';
import path from 'node:path';
import { inputKey } from '@restain/shared';
import { requestJson, imageForm } from '../support/http-client';
import { runQueuedJobs } from '../support/run-queued-jobs';
import { type TestServer, startTestServer } from '../support/start-test-server';
import { syntheticPng } from '../support/test-images';

let server: TestServer;
let png: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  server = await startTestServer();
  png = await syntheticPng();
});
afterAll(() => server.stop());

async function submit(fields: Record<string, string> = {}, filename = 'slide.png') {
  return requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(png, fields, 'file', filename) });
}

describe('jobs API on loopback (no key: the local user)', () => {
  let jobId: string;

  test('multipart create validates, stores and queues the job', async () => {
    const answer = await submit({ resolution: '40x', seg_thresh: '110' }, '../../etc/slide 1.png');
    expect(answer.status).toBe(201);
    const job = answer.body.job;
    jobId = job.id;
    expect(job).toMatchObject({ state: 'queued', source: 'jobs-api', queuePosition: 1, attempts: 0, error: null, resultVersion: null });
    expect(job.parameters).toMatchObject({ resolution: '40x', seg_thresh: 110, size_thresh: 'auto', marker_thresh: 'none' });
    expect(job.displayName).not.toContain('/');
    expect(job.input).toMatchObject({ format: 'png', width: 320, height: 256 });
    expect(answer.headers.get('location')).toBe(`/api/jobs/${jobId}`);
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(existsSync(path.join(server.dataDir, inputKey(jobId)))).toBe(true);
  });

  test('a second queued job is behind the first; results are 409 until the job succeeds', async () => {
    const second = (await submit()).body.job;
    const status = await requestJson(`${server.url}/api/jobs/${second.id}`);
    expect(status.body.job.queuePosition).toBe(2);
    const results = await requestJson(`${server.url}/api/jobs/${second.id}/results`);
    expect(results.status).toBe(409);
    expect(results.body.error.code).toBe('CONFLICT');
  });

  test('the worker runs the jobs; status, results, files and the ZIP follow', async () => {
    const outcomes = await runQueuedJobs(server.context);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['succeeded', 'succeeded']);
    const job = (await requestJson(`${server.url}/api/jobs/${jobId}`)).body.job;
    expect(job).toMatchObject({ state: 'succeeded', resultVersion: 1, queuePosition: null, attempts: 1 });
    expect(job.progress.tilesDone).toBe(job.progress.tilesTotal);
    expect(job.scoring.num_total).toBeGreaterThan(15);
    expect(job.links.results).toBe(`${server.url}/api/jobs/${jobId}/results`);

    const results = (await requestJson(`${server.url}/api/jobs/${jobId}/results`)).body;
    expect(results).toMatchObject({ jobId, version: 1, versions: [1], scoring: job.scoring });
    expect(results.parameters.seg_thresh).toBe(110);
    expect(results.manifest.input.sha256).toBe(job.input.sha256);
    const names = results.files.map((file: { name: string }) => file.name);
    expect(names).toEqual(expect.arrayContaining(['SegRefined.png', 'scoring.json', 'cells.csv', 'manifest.json']));

    const seg = results.files.find((file: { name: string }) => file.name === 'SegRefined.png');
    const image = await fetch(seg.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const scoring = await requestJson(`${server.url}/api/jobs/${jobId}/files/scoring.json`);
    expect(scoring.body.num_total).toBe(job.scoring.num_total);

    const zip = await fetch(`${server.url}/api/jobs/${jobId}/results.zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    for (const name of names) expect(bytes.includes(Buffer.from(name))).toBe(true);
  });

  test('only the version\'s listed files can be fetched: path tricks are 404', async () => {
    for (const name of ['..%2F..%2Fstate%2Frestain.sqlite', '..', 'input.png', 'Seg.png%00', '%2e%2e']) {
      const answer = await requestJson(`${server.url}/api/jobs/${jobId}/files/${name}`);
      expect([400, 404]).toContain(answer.status);
      expect(answer.body.error.code).toMatch(/NOT_FOUND|INVALID_ARGUMENT/);
    }
    expect((await requestJson(`${server.url}/api/jobs/${jobId}/files/scoring.json?version=7`)).status).toBe(404);
    expect((await requestJson(`${server.url}/api/jobs/${jobId}/files/scoring.json?version=x`)).status).toBe(400);
  });

  test('re-scoring publishes version 2 with the new thresholds and keeps version 1', async () => {
    const v1 = (await requestJson(`${server.url}/api/jobs/${jobId}/results`)).body;
    // Dropping cells smaller than the mean area must drop some cells.
    const sizeThresh = Math.round(v1.scoring.mean_cell_area_px);
    const answer = await requestJson(`${server.url}/api/jobs/${jobId}/rescore`, { method: 'POST', json: { size_thresh: sizeThresh } });
    expect(answer.status).toBe(201);
    expect(answer.body.version).toMatchObject({ version: 2, versions: [1, 2] });
    expect(answer.body.version.parameters).toMatchObject({ seg_thresh: 110, size_thresh: sizeThresh });
    expect(answer.body.version.scoring.num_total).toBeGreaterThan(0);
    expect(answer.body.version.scoring.num_total).toBeLessThan(v1.scoring.num_total);
    expect((await requestJson(`${server.url}/api/jobs/${jobId}`)).body.job.resultVersion).toBe(2);
    const bad = await requestJson(`${server.url}/api/jobs/${jobId}/rescore`, { method: 'POST', json: { marker_thresh: 300 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('marker_thresh');
  });

  test('feedback is stored on the job, up to 2000 characters', async () => {
    const answer = await requestJson(`${server.url}/api/jobs/${jobId}/feedback`, { method: 'POST', json: { text: '  Too many positives at the edge  ' } });
    expect(answer.status).toBe(201);
    expect(answer.body.feedback.text).toBe('Too many positives at the edge');
    const job = (await requestJson(`${server.url}/api/jobs/${jobId}`)).body.job;
    expect(job.feedback.map((entry: { text: string }) => entry.text)).toEqual(['Too many positives at the edge']);
    const long = await requestJson(`${server.url}/api/jobs/${jobId}/feedback`, { method: 'POST', json: { text: 'x'.repeat(2001) } });
    expect(long.status).toBe(400);
  });

  test('delete removes the record and every file of the job', async () => {
    const jobFolder = (prefix: string) => path.join(server.dataDir, prefix, jobId);
    expect(existsSync(jobFolder('results'))).toBe(true);
    const answer = await fetch(`${server.url}/api/jobs/${jobId}`, { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(existsSync(jobFolder('results'))).toBe(false);
    expect(existsSync(jobFolder('inputs'))).toBe(false);
    expect((await requestJson(`${server.url}/api/jobs/${jobId}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/jobs/${jobId}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('listing', () => {
  test('own jobs newest first, paginated with a cursor', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: { filename: `n${i}.png` } });
      created.push(answer.body.job.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await requestJson(`${server.url}/api/jobs?limit=2${query}`);
      expect(page.status).toBe(200);
      expect(page.body.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.jobs.map((job: { id: string }) => job.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual([...created].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    for (const limit of ['0', '101', 'abc']) expect((await requestJson(`${server.url}/api/jobs?limit=${limit}`)).status).toBe(400);
  });
});
