import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '@restain/gpu-worker';
import { runWorker } from '@restain/gpu-worker';
import { createApiKey } from '../../src/api/auth/api-keys';
import type { CliIo } from '../../src/cli/cli-io';
import { runStatus } from '../../src/cli/status-command';
import { runSubmit } from '../../src/cli/submit-command';
import { requestJson } from '../support/http-client';
import { type TestServer, startTestServer } from '../support/start-test-server';
import { syntheticPng } from '../support/test-images';

// The real jobs API (createApiApp + startNodeServer on 127.0.0.1:0, local adapters) and the real
// worker loop (runWorker, built-in engine) in this process; the CLI talks to it over HTTP.
let server: TestServer;
let dir: string;
let good: string;
let other: string;
let bad: string;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function makeIo(env: Record<string, string> = {}, tty = false): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text), isTTY: tty, columns: 100 } };
}

async function cli(command: typeof runSubmit, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const io = makeIo(env);
  const code = await command(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Starts the worker loop; returns a function that stops it and waits for it to end. */
async function startWorker(): Promise<() => Promise<void>> {
  const engine = await createEngine({ kind: 'builtin' });
  const controller = new AbortController();
  const { context } = server;
  const running = runWorker(
    { objects: context.objects, queue: context.queue, jobs: context.jobs, engine, tempDir: context.config.tempDir, retentionSeconds: 3600, visibilityTimeoutSeconds: 60, now: () => new Date(), log: () => undefined },
    { signal: controller.signal, waitTimeSeconds: 1 },
  );
  return async () => {
    controller.abort();
    await running;
    await engine.close();
  };
}

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'restain-cli-'));
  good = path.join(dir, 'good.png');
  other = path.join(dir, 'images', 'good.png'); // same base name, another folder
  bad = path.join(dir, 'bad.png');
  writeFileSync(good, await syntheticPng(160, 128, 21));
  mkdirSync(path.dirname(other));
  writeFileSync(other, await syntheticPng(128, 160, 22));
  writeFileSync(bad, 'not an image at all\n');
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('restain submit / status against the real API', () => {
  let firstIds: string[] = [];

  test('submit without --wait uploads each image and prints its job id; status shows state and queue position', async () => {
    const run = await cli(runSubmit, [good, other, '--server', server.url, '--resolution', '40x']);
    expect(run).toMatchObject({ code: 0, err: '' });
    const lines = run.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${UUID}  ${good}$`));
    expect(lines[1]).toMatch(new RegExp(`^${UUID}  ${other}$`));
    firstIds = lines.map((line) => line.split('  ')[0]);

    const status = await cli(runStatus, [...firstIds, '--server', server.url]);
    expect(status.code).toBe(0);
    expect(status.out.trim().split('\n')).toEqual([`${firstIds[0]}  queued (position 1)  good.png`, `${firstIds[1]}  queued (position 2)  good.png`]);

    const latest = await cli(runStatus, ['--server', server.url]);
    expect(latest.out.trim().split('\n').map((line) => line.split('  ')[0])).toEqual([firstIds[1], firstIds[0]]);

    const json = JSON.parse((await cli(runStatus, [firstIds[0], '--json', '--server', server.url])).out);
    expect(json.jobs[0]).toMatchObject({ id: firstIds[0], state: 'queued', queuePosition: 1, parameters: { resolution: '40x' } });
  });

  test('status of an unknown job: one line with the server\'s reason, exit 1', async () => {
    const missing = randomUUID();
    const run = await cli(runStatus, [firstIds[0], missing, '--server', server.url]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(firstIds[0]);
    expect(run.err).toMatch(new RegExp(`^restain: ${missing}: NOT_FOUND: .+\\n$`));
  });

  test('submit --wait shows progress on a terminal, prints the scores the API has, and --out downloads the files', async () => {
    const stopWorker = await startWorker();
    const out = path.join(dir, 'out');
    const io = makeIo({}, true);
    let code: number;
    try {
      code = await runSubmit([good, other, '--server', server.url, '--wait', '--out', out], io);
    } finally {
      await stopWorker();
    }
    const stdout = io.out.join('');
    expect(code).toBe(0);
    const ids = [...stdout.matchAll(new RegExp(`^(${UUID})  `, 'gm'))].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    for (const [index, image] of [good, other].entries()) {
      const job = (await requestJson(`${server.url}/api/jobs/${ids[index]}`)).body.job;
      expect(job.state).toBe('succeeded');
      const s = job.scoring;
      expect(stdout).toContain(`${image}  succeeded num_total=${s.num_total} num_pos=${s.num_pos} num_neg=${s.num_neg} percent_pos=${s.percent_pos}`);
    }
    // Two inputs named good.png: two folders, each with every result file.
    const folders = readdirSync(out).sort();
    expect(folders).toEqual(['good', `good-${ids[1].slice(0, 8)}`]);
    const results = (await requestJson(`${server.url}/api/jobs/${ids[0]}/results`)).body;
    expect(readdirSync(path.join(out, 'good')).sort()).toEqual(results.files.map((file: { name: string }) => file.name).sort());
    expect(JSON.parse(readFileSync(path.join(out, 'good', 'scoring.json'), 'utf8'))).toEqual(results.scoring);
    // The progress line was drawn on stderr and cleared; stdout stays free of terminal codes.
    const stderr = io.err.join('');
    expect(stderr).toMatch(/\r.*done; .*\x1b\[K/);
    expect(stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(stdout).not.toContain('\x1b');
  });

  test('a bad image is rejected with its reason and the exit status is 1, while the good one still finishes (--json)', async () => {
    const stopWorker = await startWorker();
    let run: Run;
    try {
      run = await cli(runSubmit, [bad, good, '--wait', '--json', '--server', server.url]);
    } finally {
      await stopWorker();
    }
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report.jobs).toEqual([
      expect.objectContaining({ file: bad, jobId: null, state: 'rejected', error: { code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('bad.png') } }),
      expect.objectContaining({ file: good, state: 'succeeded', error: null, scoring: expect.objectContaining({ num_total: expect.any(Number) }) }),
    ]);
  });
});

describe('connection settings and failures', () => {
  test('RESTAIN_SERVER and RESTAIN_API_KEY stand in for --server and --key; a wrong key is refused with the reason', async () => {
    const keyed = await startTestServer({ config: { requireApiKeys: true } });
    try {
      const { key } = await createApiKey(keyed.objects, 'cli test');
      const env = { RESTAIN_SERVER: keyed.url };
      const refused = await cli(runStatus, [], env);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^restain: .*UNAUTHENTICATED/);
      expect(await cli(runStatus, [], { ...env, RESTAIN_API_KEY: key })).toEqual({ code: 0, out: 'no jobs yet\n', err: '' });
      const submitted = await cli(runSubmit, [good, '--key', key], env);
      expect(submitted.code).toBe(0);
      const listed = await cli(runStatus, ['--key', key], env);
      expect(listed.out).toMatch(new RegExp(`^${submitted.out.split('  ')[0]}  queued  good.png\\n$`));
    } finally {
      await keyed.stop();
    }
  });

  test('an unreachable server gives one clear line and exit 1', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    for (const command of [runSubmit, runStatus]) {
      const argv = command === runSubmit ? [good, '--wait'] : [];
      const run = await cli(command, argv, { RESTAIN_SERVER: `http://127.0.0.1:${port}` });
      expect(run.code).toBe(1);
      expect(run.out).toBe('');
      expect(run.err).toBe(`restain: Cannot reach the Restain server at http://127.0.0.1:${port}: ECONNREFUSED (is it running? set --server or RESTAIN_SERVER)\n`);
    }
  });

  test.each([
    [[], 'at least one image'],
    [['x.png', '--resolution', '15x'], 'auto, 10x, 20x or 40x'],
    [['x.png', '--out', 'dir'], 'needs --wait'],
    [['x.png', '--server', 'ftp://host'], 'http:// or https://'],
    [['x.png', '--bogus'], "Unknown option '--bogus'"],
  ])('submit %j is a usage mistake: exit 2', async (argv, message) => {
    const run = await cli(runSubmit, argv);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.err).toContain('(see restain submit --help)');
  });

  test('a missing image is reported before anything is uploaded', async () => {
    const count = async () => (await requestJson(`${server.url}/api/jobs?limit=100`)).body.jobs.length;
    const before = await count();
    const run = await cli(runSubmit, [good, path.join(dir, 'nope.png'), '--server', server.url]);
    expect(run).toEqual({ code: 1, out: '', err: `restain: ${path.join(dir, 'nope.png')}: no such file\n` });
    expect(await count()).toBe(before);
  });

  test('status --limit takes 1..100 and not together with ids', async () => {
    expect((await cli(runStatus, ['--limit', '0'])).code).toBe(2);
    expect((await cli(runStatus, ['--limit', '5', randomUUID()])).code).toBe(2);
  });
});

describe('a misbehaving server', () => {
  const jobId = randomUUID();
  const view = { id: jobId, state: 'succeeded', displayName: 'evil\x1b[2J\rname.png', queuePosition: null, progress: null, error: null, scoring: { num_total: 3, num_pos: 1, num_neg: 2, percent_pos: 33.3, h_score: null } };
  let url: string;
  let written: string[] = [];
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/api/jobs') return send(502, '<html><body>Bad gateway</body></html>', 'text/html');
      if (req.method === 'POST' && req.url === '/api/jobs') return send(201, { job: { ...view, state: 'queued' } });
      if (req.url === `/api/jobs/${jobId}`) return send(200, { job: view });
      if (req.url === `/api/jobs/${jobId}/results`) {
        return send(200, { jobId, files: [{ name: 'scoring.json', url: `${url}/f/scoring.json` }, { name: '../../escaped.sh', url: `${url}/f/x` }] });
      }
      written.push(req.url ?? '');
      return send(200, '{}');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => http.close(resolve)));

  test("an error page that is not the API's JSON becomes one line with the status and the page's start", async () => {
    const run = await cli(runStatus, ['--server', url]);
    expect(run).toEqual({ code: 1, out: '', err: 'restain: HTTP_502: 502 Bad Gateway: <html><body>Bad gateway</body></html>\n' });
  });

  test('terminal control characters in server text never reach the terminal', async () => {
    const run = await cli(runStatus, [jobId, '--server', url]);
    expect(run.out).toBe(`${jobId}  succeeded num_total=3 num_pos=1 num_neg=2 percent_pos=33.3  evil [2J name.png\n`);
  });

  test('a result file name that would leave --out is refused and counts as a failure', async () => {
    written = [];
    const out = path.join(dir, 'hostile');
    const run = await cli(runSubmit, [good, '--server', url, '--wait', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('download failed: Expected a plain result file name from the server but received "../../escaped.sh"');
    expect(readdirSync(dir)).not.toContain('escaped.sh');
    expect(written).toEqual(['/f/scoring.json']);
  });
});
