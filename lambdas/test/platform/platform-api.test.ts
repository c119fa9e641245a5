// Acceptance over real HTTP: `restain start` as a child process on 127.0.0.1, a temp data folder,
// one worker; results compared with what `restain analyze` / `restain rescore` make of the same image.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type JobJson, bodyOf, createJobWithImage, fetchWithin, getJob, syntheticPng, waitForJobs } from '../support/platform-api';
import { type PlatformProcess, startPlatformProcess } from '../support/platform-process';
import { readZipEntries } from '../support/read-zip';
import { runRestain } from '../support/run-restain';

jest.setTimeout(120_000);

let dir: string;
let dataDir: string;
let platform: PlatformProcess;
let png: Buffer;
let imagePath: string;
let cliResult: string;
let job: JobJson;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-platform-'));
  dataDir = path.join(dir, 'data');
  png = await syntheticPng(400, 11);
  imagePath = path.join(dir, 'image.png');
  await writeFile(imagePath, png);
  platform = await startPlatformProcess({ dataDir, workers: 1 });
  cliResult = path.join(dir, 'cli');
  const [analyzed, created] = await Promise.all([
    runRestain(['analyze', imagePath, '--out', cliResult, '--resolution', '40x', '--threads', '1']),
    createJobWithImage(platform.url, png, { resolution: '40x' }, { filename: 'image.png' }),
  ]);
  expect(analyzed.code).toBe(0);
  job = (await waitForJobs(platform.url, [created.id], 60_000)).get(created.id) as JobJson;
});

afterAll(async () => {
  await platform?.stop('SIGKILL', 10_000).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function fileText(jobId: string, name: string, version = 1): Promise<string> {
  const response = await fetchWithin(`${platform.url}/api/jobs/${jobId}/files/${name}?version=${version}`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('restain start', () => {
  it('prints its URL and data folder, and serves the OpenAPI document', async () => {
    expect(platform.output()).toContain(`Data:     ${dataDir}`);
    expect(platform.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const openapi = await (await fetchWithin(`${platform.url}/api/openapi.json`)).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/jobs', '/api/infer', '/api/batch/infer', '/api/status']));
  });

  it('GET /api/status reports the queue and the local worker processes', async () => {
    const status = await (await fetchWithin(`${platform.url}/api/status`)).json();
    expect(status.queue).toEqual({ visible: expect.any(Number), inFlight: expect.any(Number), delayed: expect.any(Number) });
    expect(status.workers).toMatchObject({ desiredWorkers: 1, runningWorkers: 1, pendingWorkers: 0 });
  });

  it('refuses a second platform on the same data folder, and a bad setting, with one line each', async () => {
    const second = await runRestain(['start'], { RESTAIN_DATA_DIR: dataDir, PORT: '0' }, 30_000);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another Restain platform \(pid \d+\) is already running on/);
    const bad = await runRestain(['start'], { RESTAIN_DATA_DIR: path.join(dir, 'other'), PORT: 'eighty' }, 30_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('restain: Expected a whole number from 0 to 65535 for PORT but received "eighty"');
  });
});

describe('jobs API against the running platform', () => {
  it('create with upload -> poll -> results equal to restain analyze on the same image', async () => {
    expect(job.state).toBe('succeeded');
    expect(job.resultVersion).toBe(1);
    const cliScoring = JSON.parse(await readFile(path.join(cliResult, 'scoring.json'), 'utf8'));
    expect(JSON.parse(await fileText(job.id, 'scoring.json'))).toEqual(cliScoring);
    expect(job.scoring).toEqual(cliScoring);
    expect(await fileText(job.id, 'cells.csv')).toBe(await readFile(path.join(cliResult, 'cells.csv'), 'utf8'));
  });

  it('create-then-upload through the signed URL gives the same result; later PUTs do not change the job', async () => {
    const created = await fetchWithin(`${platform.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'signed.png', resolution: '40x' }),
    });
    expect(created.status).toBe(201);
    const { job: pending, upload } = await created.json();
    expect(pending.state).toBe('created');
    // Change the signature's first digit (to one it is not: a signature may already start with 0).
    const tamperedUrl = upload.url.replace(/signature=([0-9a-f])/, (_: string, digit: string) => `signature=${digit === '0' ? '1' : '0'}`);
    const tampered = await fetchWithin(tamperedUrl, { method: 'PUT', body: bodyOf(png) });
    expect(tampered.status).toBe(401);
    const put = await fetchWithin(upload.url, { method: 'PUT', body: bodyOf(png) });
    expect(put.status).toBe(200);
    const other = await syntheticPng(300, 12);
    expect((await fetchWithin(upload.url, { method: 'PUT', body: bodyOf(other) })).status).toBeLessThan(500);
    const done = (await waitForJobs(platform.url, [pending.id], 60_000)).get(pending.id) as JobJson & { input: { sha256: string; width: number } };
    expect(done.state).toBe('succeeded');
    expect(done.input.width).toBe(400);
    expect(done.scoring).toEqual(job.scoring);
  });

  it('re-scores without re-inference like restain rescore, keeping version 1', async () => {
    const response = await fetchWithin(`${platform.url}/api/jobs/${job.id}/rescore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seg_thresh: 170, size_thresh: 800 }),
    });
    expect(response.status).toBe(201);
    const { version } = await response.json();
    expect(version.version).toBe(2);
    expect(version.versions).toEqual([1, 2]);
    const copy = path.join(dir, 'cli-rescored');
    await cp(cliResult, copy, { recursive: true });
    const rescored = await runRestain(['rescore', copy, '--seg-thresh', '170', '--size-thresh', '800']);
    expect(rescored.code).toBe(0);
    const cliScoring = JSON.parse(await readFile(path.join(copy, 'scoring.json'), 'utf8'));
    expect(version.scoring).toEqual(cliScoring);
    expect(version.scoring.num_total).toBeLessThan(job.scoring?.num_total as number);
    expect(JSON.parse(await fileText(job.id, 'scoring.json', 1))).toEqual(job.scoring);
  });

  it('serves every file of a version in one ZIP', async () => {
    const results = await (await fetchWithin(`${platform.url}/api/jobs/${job.id}/results?version=1`)).json();
    const response = await fetchWithin(results.zipUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = readZipEntries(Buffer.from(await response.arrayBuffer()));
    const names = results.files.map((file: { name: string }) => file.name);
    expect([...entries.keys()].map((name) => name.split('/').pop()).sort()).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['scoring.json', 'manifest.json', 'SegRefined.png', 'cells.geojson']));
    const scoring = [...entries].find(([name]) => name.endsWith('scoring.json'))?.[1].toString('utf8') as string;
    expect(JSON.parse(scoring)).toEqual(job.scoring);
  });

  it('keeps each key to its own jobs (keys made with restain keys create; revoked keys refused)', async () => {
    const env = { RESTAIN_DATA_DIR: dataDir };
    const alice = await runRestain(['keys', 'create', 'alice', '--json'], env);
    const bob = await runRestain(['keys', 'create', 'bob', '--json'], env);
    const carol = await runRestain(['keys', 'create', 'carol', '--json'], env);
    const keyOf = (run: { stdout: string }) => JSON.parse(run.stdout) as { id: string; key: string };
    const aliceJob = await createJobWithImage(platform.url, png, { resolution: '40x' }, { key: keyOf(alice).key });
    expect((await getJob(platform.url, aliceJob.id, keyOf(alice).key))?.id).toBe(aliceJob.id);
    expect(await getJob(platform.url, aliceJob.id, keyOf(bob).key)).toBeUndefined();
    expect(await getJob(platform.url, aliceJob.id)).toBeUndefined();
    const bobList = await (await fetchWithin(`${platform.url}/api/jobs`, { headers: { authorization: `Bearer ${keyOf(bob).key}` } })).json();
    expect(bobList.jobs).toEqual([]);
    const listed = await runRestain(['keys', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout).map((key: { name: string }) => key.name)).toEqual(['alice', 'bob', 'carol']);
    expect(listed.stdout).not.toContain(keyOf(alice).key);
    expect((await runRestain(['keys', 'revoke', keyOf(carol).id], env)).code).toBe(0);
    const refused = await fetchWithin(`${platform.url}/api/jobs`, { headers: { authorization: `Bearer ${keyOf(carol).key}` } });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('UNAUTHENTICATED');
    await waitForJobs(platform.url, [aliceJob.id], 60_000, keyOf(alice).key);
  });
});

describe('DeepLIIF-compatible endpoints answer what DeepLIIF clients read', () => {
  const IMAGE_NAMES = ['DAPI', 'Hema', 'Lap2', 'Marker', 'Seg', 'SegOverlaid', 'SegRefined'];
  const SCORING_KEYS = ['num_total', 'num_pos', 'num_neg', 'percent_pos', 'prob_thresh', 'seg_thresh', 'size_thresh', 'size_thresh_upper', 'marker_thresh'];
  let inferred: { images: Record<string, string>; scoring: Record<string, unknown> };

  function imageForm(fields: Record<string, Buffer>): FormData {
    const form = new FormData();
    for (const [name, bytes] of Object.entries(fields)) form.append(name, new Blob([bodyOf(bytes)], { type: 'image/png' }), `${name}.png`);
    return form;
  }

  it('POST /api/infer (the README example: img + resolution -> images, scoring)', async () => {
    const response = await fetchWithin(`${platform.url}/api/infer?resolution=40x`, { method: 'POST', body: imageForm({ img: png }) }, 90_000);
    expect(response.status).toBe(200);
    inferred = await response.json();
    expect(Object.keys(inferred.images).sort()).toEqual(IMAGE_NAMES);
    for (const name of IMAGE_NAMES) expect(Buffer.from(inferred.images[name], 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(Object.keys(inferred.scoring)).toEqual(expect.arrayContaining(SCORING_KEYS));
    expect(inferred.scoring.num_total).toBe(job.scoring?.num_total);
    expect(inferred.scoring.num_pos).toBe(job.scoring?.num_pos);
  });

  it('batch flow: POST /api/batch/infer -> task_id; GET polls PENDING/STARTED until SUCCESS with the infer shape', async () => {
    const submitted = await fetchWithin(`${platform.url}/api/batch/infer?resolution=40x`, { method: 'POST', body: imageForm({ img: png }) });
    expect(submitted.status).toBe(200);
    const { task_id: taskId } = await submitted.json();
    expect(typeof taskId).toBe('string');
    const states = new Set<string>();
    const deadline = Date.now() + 60_000;
    let status: { state: string; result: { images: Record<string, string>; scoring: Record<string, unknown> } | null };
    do {
      status = await (await fetchWithin(`${platform.url}/api/batch/infer/${taskId}`)).json();
      states.add(status.state);
      if (status.state !== 'SUCCESS') await new Promise((resolve) => setTimeout(resolve, 200));
    } while (status.state !== 'SUCCESS' && status.state !== 'FAILURE' && Date.now() < deadline);
    expect(status.state).toBe('SUCCESS');
    expect([...states].every((state) => ['PENDING', 'STARTED', 'SUCCESS'].includes(state))).toBe(true);
    expect(Object.keys(status.result?.images ?? {}).sort()).toEqual(IMAGE_NAMES);
    expect(status.result?.scoring.num_total).toBe(inferred.scoring.num_total);
  });

  it('POST /api/postprocess re-scores img + seg_img with the same shape', async () => {
    const form = imageForm({ img: png, seg_img: Buffer.from(inferred.images.Seg, 'base64') });
    const response = await fetchWithin(`${platform.url}/api/postprocess?resolution=40x`, { method: 'POST', body: form }, 60_000);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body.scoring)).toEqual(expect.arrayContaining(SCORING_KEYS));
    expect(Object.keys(body.images)).toEqual(expect.arrayContaining(['SegOverlaid', 'SegRefined']));
    expect(body.scoring.num_total).toBe(inferred.scoring.num_total);
  });
});

describe('stopping', () => {
  it('SIGTERM stops the platform with exit 0, hands work back, and leaves no worker running', async () => {
    const workers = platform.workerPids();
    expect(workers.length).toBe(1);
    const status = await platform.stop('SIGTERM', 30_000);
    expect(status).toEqual({ code: 0, signal: null });
    expect(platform.output()).toMatch(/SIGTERM: stopping/);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
