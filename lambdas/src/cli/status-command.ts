import { parseArgs } from 'node:util';
import type { JobView } from '../jobs/job-view';
import { ApiError, ServerUnreachableError } from './api-client';
import { type CliIo, processIo } from './cli-io';
import { CLIENT_FLAG_SPEC, UsageError, clientFromFlags, withUsageErrors } from './client-flags';
import { formatJobLine, printable } from './job-lines';

export const STATUS_USAGE = `restain status [jobId...] [--server URL] [--key KEY] [--limit N] [--json]
  Show jobs on a Restain server: the given ones (state, progress, queue position, error, scores),
  or without ids the latest ones (newest first).
  --server URL  the deployment (default $RESTAIN_SERVER, else http://127.0.0.1:8080)
  --key KEY     API key (default $RESTAIN_API_KEY; the local platform needs none)
  --limit N     how many of the latest jobs to list (1-100, default 20)
  --json        print one JSON document instead of text
  Exit status: 0 every job was found, 1 any was not (or the server could not be reached), 2 bad usage.`;

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(limit >= 1 && limit <= 100)) throw new UsageError(`Expected a whole number from 1 to 100 for --limit but received ${JSON.stringify(text)}`);
  return limit;
}

/** `restain status`: the state of given jobs, or the caller's latest jobs. */
export async function runStatus(argv: string[], io: CliIo = processIo()): Promise<number> {
  return withUsageErrors('status', io, async () => {
    const { values, positionals: ids } = parseArgs({ args: argv, allowPositionals: true, options: { ...CLIENT_FLAG_SPEC, limit: { type: 'string' } } });
    const limit = parseLimit(values.limit);
    if (limit !== undefined && ids.length > 0) throw new UsageError('--limit lists the latest jobs, so it cannot be combined with job ids');
    const client = clientFromFlags(values, io);
    const json = values.json === true;
    try {
      if (ids.length === 0) {
        const page = await client.listJobs({ limit });
        if (json) io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        else if (page.jobs.length === 0) io.stdout.write('no jobs yet\n');
        else for (const job of page.jobs) io.stdout.write(`${formatJobLine(job)}\n`);
        return 0;
      }
      const jobs: JobView[] = [];
      const errors: { jobId: string; code: string; message: string }[] = [];
      for (const jobId of ids) {
        try {
          const job = await client.getJob(jobId);
          jobs.push(job);
          if (!json) io.stdout.write(`${formatJobLine(job)}\n`);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          errors.push({ jobId, code: error.code, message: error.message });
          if (!json) io.stderr.write(`${printable(`restain: ${jobId}: ${error.code}: ${error.message}`)}\n`);
        }
      }
      if (json) io.stdout.write(`${JSON.stringify({ jobs, errors }, null, 2)}\n`);
      return errors.length === 0 ? 0 : 1;
    } catch (error) {
      if (error instanceof ApiError) {
        io.stderr.write(`${printable(`restain: ${error.code}: ${error.message}`)}\n`);
        return 1;
      }
      if (!(error instanceof ServerUnreachableError)) throw error;
      io.stderr.write(`restain: ${error.message} (is it running? set --server or RESTAIN_SERVER)\n`);
      return 1;
    }
  });
}
