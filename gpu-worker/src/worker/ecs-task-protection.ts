import { type WorkerLog, describeError } from './worker-deps';

/** Scale-in protection of this task: on while a job runs, off when idle. Never throws. */
export interface TaskProtection {
  /** Turns protection on (renewed at half-life until turned off) or off; resolves once the agent answered or the call failed. */
  setBusy(busy: boolean): Promise<void>;
  /** Stops renewing (protection then lapses on its own; a stopping task has handed its job back). */
  stop(): void;
}

export interface EcsTaskProtectionOptions {
  /** ECS_AGENT_URI, which ECS sets in every task. */
  readonly agentUri: string;
  /** How long each grant lasts (ECS: 1 to 2880 minutes); renewed every half of it while busy. */
  readonly expiresInMinutes: number;
  readonly log: WorkerLog;
  /** Per request (ms, default 3000): the agent is local, so a slow answer means it is not there. */
  readonly timeoutMs?: number;
}

/**
 * ECS task scale-in protection through the agent endpoint
 * (PUT ${ECS_AGENT_URI}/task-protection/v1/state {ProtectionEnabled, ExpiresInMinutes};
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html),
 * so the service scaling in on a shrinking queue never stops a task mid-job. Requests run one at
 * a time in call order. Failures (agent missing, an IAM denial in the answer's `failure`/`error`)
 * are logged and ignored: without protection a scale-in only hands the job back (SIGTERM drain).
 */
export function ecsTaskProtection(options: EcsTaskProtectionOptions): TaskProtection {
  const { log } = options;
  const url = `${options.agentUri}/task-protection/v1/state`;
  const renewEveryMs = (options.expiresInMinutes * 60_000) / 2;
  let chain: Promise<void> = Promise.resolve();
  let renewal: NodeJS.Timeout | undefined;

  const put = async (enabled: boolean): Promise<void> => {
    const body = enabled ? { ProtectionEnabled: true, ExpiresInMinutes: options.expiresInMinutes } : { ProtectionEnabled: false };
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      const text = await response.text();
      let answer: { failure?: unknown; error?: unknown } = {};
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        // Not JSON: judged by the status alone.
      }
      if (!response.ok || answer.failure || answer.error) {
        log('task-protection.refused', { enabled, status: response.status, answer: text.slice(0, 500) });
        return;
      }
      log('task-protection.set', { enabled, ...(enabled ? { expiresInMinutes: options.expiresInMinutes } : {}) });
    } catch (error) {
      log('task-protection.failed', { enabled, error: describeError(error) });
    }
  };
  const enqueue = (enabled: boolean): Promise<void> => (chain = chain.then(() => put(enabled)));
  const stopRenewing = (): void => {
    if (renewal) clearInterval(renewal);
    renewal = undefined;
  };

  return {
    setBusy(busy) {
      stopRenewing();
      if (busy) {
        renewal = setInterval(() => void enqueue(true), renewEveryMs);
        renewal.unref();
      }
      return enqueue(busy);
    },
    stop: stopRenewing,
  };
}
