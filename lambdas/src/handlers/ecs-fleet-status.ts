import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { RestainError } from '@restain/shared';
import type { FleetFigures, FleetStatus } from '../api/app-context';

export interface EcsFleetOptions {
  /** Answers are reused this long (ms, default 10 000): DescribeServices is throttled per account, dashboards poll. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * The GPU worker service's task counts from ECS DescribeServices (desired, running, pending),
 * cached briefly. A missing service or an ECS failure rejects with UNAVAILABLE saying which.
 */
export function ecsFleetStatus(client: ECSClient, target: { readonly cluster: string; readonly service: string }, options: EcsFleetOptions = {}): FleetStatus {
  const cacheMs = options.cacheMs ?? 10_000;
  const now = options.now ?? Date.now;
  let cached: { readonly at: number; readonly figures: FleetFigures } | undefined;
  return {
    async describe() {
      if (cached && now() - cached.at < cacheMs) return cached.figures;
      let answer;
      try {
        answer = await client.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }));
      } catch (error) {
        throw new RestainError('UNAVAILABLE', `Expected ECS to describe service ${target.service} but it failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      const service = answer.services?.[0];
      if (!service) {
        const reason = answer.failures?.[0]?.reason ?? 'no service in the answer';
        throw new RestainError('UNAVAILABLE', `Expected ECS service ${target.service} in cluster ${target.cluster} but ECS answered ${reason}`);
      }
      const figures: FleetFigures = {
        desiredWorkers: service.desiredCount ?? 0,
        runningWorkers: service.runningCount ?? 0,
        pendingWorkers: service.pendingCount ?? 0,
      };
      cached = { at: now(), figures };
      return figures;
    },
  };
}
