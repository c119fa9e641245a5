import { RestainError } from '@restain/shared';
import { HttpError } from './http-error';
import type { RouteSpec } from './route-spec';

type Segment = { readonly literal: string } | { readonly param: string };

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly segments: readonly Segment[];
}

export interface RouteMatch {
  readonly route: RouteSpec;
  readonly params: Readonly<Record<string, string>>;
}

function compile(spec: RouteSpec): CompiledRoute {
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
      return param ? { param: param[1] } : { literal: part };
    });
  return { spec, segments };
}

function matchSegments(route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== route.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i];
    if ('literal' in segment) {
      if (segment.literal !== parts[i]) return undefined;
    } else {
      if (parts[i] === '') return undefined;
      params[segment.param] = parts[i];
    }
  }
  return params;
}

/**
 * Matches method + path against a route table. Literal segments win over parameters, so
 * `/api/jobs/{jobId}/results.zip` and `/api/jobs/{jobId}/results` never shadow each other.
 * Throws NOT_FOUND for unknown paths and METHOD_NOT_ALLOWED (with Allow) for known paths.
 */
export function createRouter(routes: readonly RouteSpec[]): (method: string, path: string) => RouteMatch {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (seen.has(key)) throw new Error(`Route table has two routes for ${key}`);
    seen.add(key);
  }
  // More literal segments first: a literal beats a parameter at the same position.
  const literalCount = (route: CompiledRoute) => route.segments.filter((s) => 'literal' in s).length;
  const compiled = routes.map(compile).sort((a, b) => literalCount(b) - literalCount(a));
  return (method, path) => {
    const parts = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of compiled) {
      const params = matchSegments(route, parts);
      if (!params) continue;
      if (route.spec.method === method) return { route: route.spec, params };
      if (!allowed.includes(route.spec.method)) allowed.push(route.spec.method);
    }
    if (allowed.length === 0) throw new RestainError('NOT_FOUND', `No API route matches ${path}`);
    throw new HttpError('METHOD_NOT_ALLOWED', `Expected one of ${allowed.join(', ')} for ${path} but received ${method}`, {
      allow: allowed.join(', '),
    });
  };
}
