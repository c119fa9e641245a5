import type { RouteHandler } from './route-types';

/**
 * Who may call a route: `public` needs nothing; `jobs` needs a key (or the local user on
 * loopback); `deepliif` also admits anonymous callers when the operator opened it.
 */
export type RouteAccess = 'public' | 'jobs' | 'deepliif';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A JSON Schema (OpenAPI 3.1 dialect) fragment. */
export type JsonSchema = Record<string, unknown>;

export interface QueryParameterDoc {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly required?: boolean;
}

export interface ResponseDoc {
  readonly description: string;
  /** Media type -> schema of the body. */
  readonly content?: Readonly<Record<string, JsonSchema>>;
}

/** What the OpenAPI document says about a route; path parameters come from the path itself. */
export interface OperationDoc {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly query?: readonly QueryParameterDoc[];
  /** Media type -> schema of the request body. */
  readonly requestBody?: Readonly<Record<string, JsonSchema>>;
  /** Success responses by status. */
  readonly responses: Readonly<Record<string, ResponseDoc>>;
  /** Error statuses this route answers besides the common ones (401, 429, 500). */
  readonly errors: readonly number[];
  /** Descriptions of path parameters by name (every `{name}` in the path must have one). */
  readonly pathParameters?: Readonly<Record<string, string>>;
}

/** One entry of the route table: the router and the OpenAPI document are both built from it. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** Template with `{name}` segments, e.g. `/api/jobs/{jobId}/files/{name}`. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly handler: RouteHandler;
  readonly doc: OperationDoc;
}
