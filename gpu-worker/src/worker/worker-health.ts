// Container HEALTHCHECK (`node dist/worker-health.js`): exit 0 while the worker in this container
// beats its heartbeat file, 1 (unhealthy: ECS replaces the task) when it stopped beating.
import { ENV } from '@restain/shared';
import { heartbeatProblem } from './worker-heartbeat';
import { readWorkerConfig } from './worker-config';

async function main(): Promise<number> {
  const file = readWorkerConfig().heartbeatFile;
  if (!file) {
    process.stderr.write(`restain worker health: ${ENV.HEARTBEAT_FILE} is not set, so there is nothing to check\n`);
    return 1;
  }
  const problem = await heartbeatProblem(file, Date.now());
  if (problem) process.stderr.write(`restain worker health: unhealthy: ${problem}\n`);
  return problem ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`restain worker health: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
