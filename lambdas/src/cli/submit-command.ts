import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { JobView } from '../jobs/job-view';
import { ApiError, type ApiClient, ServerUnreachableError } from './api-client';
import { type CliIo, processIo } from './cli-io';
import { CLIENT_FLAG_SPEC, UsageError, clientFromFlags, withUsageErrors } from './client-flags';
import { OutputFolders, downloadResults } from './download-results';
import { describeJobState, printable } from './job-lines';
import { waitForJobs } from './wait-for-jobs';

export const SUBMIT_USAGE = `restain submit <image...> [--server URL] [--key KEY] [--resolution auto|10x|20x|40x] [--wait] [--out DIR] [--json]
  Upload images to a Restain server as jobs and print their ids.
  --server URL    the deployment (default $RESTAIN_SERVER, else http://127.0.0.1:8080)
  --key KEY       API key (default $RESTAIN_API_KEY; the local platform needs none)
  --resolution R  scan magnification: auto (default), 10x, 20x or 40x
  --wait          wait until every job has finished and print its scores
  --out DIR       with --wait: download each result's files into DIR/<image name>/
  --json          print one JSON document instead of text
  Exit status: 0 every image succeeded (or, without --wait, was accepted), 1 any failed, 2 bad usage.`;

const RESOLUTIONS = ['auto', '10x', '20x', '40x'];

/** What became of one image given on the command line. */
interface Submission {
  readonly file: string;
  jobId: string | null;
  state: string;
  scoring: JobView['scoring'];
  error: { code: string; message: string } | null;
  out: string | null;
}

function parseSubmitArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...CLIENT_FLAG_SPEC, resolution: { type: 'string' }, wait: { type: 'boolean' }, out: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('Expected at least one image to submit but received none');
  const resolution = values.resolution?.trim().toLowerCase();
  if (resolution !== undefined && !RESOLUTIONS.includes(resolution)) {
    throw new UsageError(`Expected auto, 10x, 20x or 40x for --resolution but received ${JSON.stringify(values.resolution)}`);
  }
  if (values.out !== undefined && !values.wait) throw new UsageError('--out downloads finished results, so it needs --wait');
  return { values, images: positionals, resolution };
}

/** Images that are not readable regular files, each with the reason. */
async function missingImages(images: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const image of images) {
    const info = await stat(image).catch(() => undefined);
    if (!info) problems.push(`${image}: no such file`);
    else if (!info.isFile()) problems.push(`${image}: not a file`);
  }
  return problems;
}

function failureOf(error: unknown): { code: string; message: string } {
  return error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'CLIENT_ERROR', message: (error as Error)?.message ?? String(error) };
}

async function uploadAll(client: ApiClient, images: readonly string[], resolution: string | undefined, io: CliIo, json: boolean): Promise<Submission[]> {
  const fields: Record<string, string> = resolution ? { resolution } : {};
  const submissions: Submission[] = [];
  for (const file of images) {
    const entry: Submission = { file, jobId: null, state: 'rejected', scoring: null, error: null, out: null };
    submissions.push(entry);
    try {
      const job = await client.createJob(file, fields);
      Object.assign(entry, { jobId: job.id, state: job.state, error: job.error });
      if (!json) io.stdout.write(`${job.id}  ${file}\n`);
    } catch (error) {
      if (error instanceof ServerUnreachableError) throw error;
      entry.error = failureOf(error);
      if (!json) io.stderr.write(printable(`restain: ${file}: rejected: ${entry.error.code}: ${entry.error.message}`) + '\n');
    }
  }
  return submissions;
}

async function waitAndCollect(client: ApiClient, submissions: Submission[], out: string | undefined, io: CliIo, json: boolean): Promise<void> {
  const byJob = new Map(submissions.filter((entry) => entry.jobId).map((entry) => [entry.jobId as string, entry]));
  const folders = out === undefined ? undefined : new OutputFolders(out);
  const downloads: Promise<void>[] = [];
  await waitForJobs([...byJob.keys()], {
    client,
    io,
    labels: new Map([...byJob].map(([jobId, entry]) => [jobId, entry.file])),
    onFinished: (job) => {
      const entry = byJob.get(job.id) as Submission;
      Object.assign(entry, { state: job.state, scoring: job.scoring, error: job.error });
      if (!json) io.stdout.write(printable(`${entry.file}  ${describeJobState(job)}`) + '\n');
      if (folders && job.state === 'succeeded') {
        const folder = folders.folderFor(entry.file, job.id);
        downloads.push(
          downloadResults(client, job.id, folder).then(
            (names) => {
              entry.out = folder;
              if (!json) io.stdout.write(`${entry.file}  saved ${names.length} files to ${folder}\n`);
            },
            (error: unknown) => {
              if (error instanceof ServerUnreachableError) throw error;
              Object.assign(entry, { state: 'download-failed', error: failureOf(error) });
              if (!json) io.stdout.write(printable(`${entry.file}  download failed: ${entry.error?.message}`) + '\n');
            },
          ),
        );
      }
    },
  });
  await Promise.all(downloads);
}

/** `restain submit`: upload images as jobs; with --wait, poll them to the end and print (and download) the results. */
export async function runSubmit(argv: string[], io: CliIo = processIo()): Promise<number> {
  return withUsageErrors('submit', io, async () => {
    const { values, images, resolution } = parseSubmitArgs(argv);
    const client = clientFromFlags(values, io);
    const json = values.json === true;
    const missing = await missingImages(images);
    if (missing.length > 0) {
      for (const line of missing) io.stderr.write(`restain: ${line}\n`);
      return 1;
    }
    let submissions: Submission[] = [];
    try {
      submissions = await uploadAll(client, images, resolution, io, json);
      if (values.wait) await waitAndCollect(client, submissions, values.out, io, json);
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
      io.stderr.write(`restain: ${error.message} (is it running? set --server or RESTAIN_SERVER)\n`);
      return 1;
    }
    if (json) io.stdout.write(`${JSON.stringify({ server: client.server, jobs: submissions }, null, 2)}\n`);
    const expected = values.wait ? ['succeeded'] : ['queued', 'running', 'succeeded', 'uploaded'];
    return submissions.every((entry) => expected.includes(entry.state)) ? 0 : 1;
  });
}
