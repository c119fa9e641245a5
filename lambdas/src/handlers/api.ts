// Lambda entry of the REST API behind API Gateway (HTTP API, payload format 2.0).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type ApiApp, type ApiAppOptions, createApiApp } from '../api/app';
import { errorResponse } from '../api/error-response';
import { toApiRequest } from './api-gateway-request';
import { toApiGatewayResult } from './api-gateway-response';
import { type AwsRuntime, awsRuntime } from './aws-context';

/** The request is aborted this long before Lambda's deadline, so the app can answer (503) instead of being cut off. */
const DEADLINE_MARGIN_MS = 1500;

export type ApiHandler = (event: APIGatewayProxyEventV2, lambdaContext: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<APIGatewayProxyStructuredResultV2>;

/** An API handler on `runtime` (built on the first event: its domain is the default public URL). */
export function createApiHandler(runtime: (event: APIGatewayProxyEventV2) => AwsRuntime, appOptions: ApiAppOptions = {}): ApiHandler {
  let app: ApiApp | undefined;
  return async (event, lambdaContext) => {
    const { context } = runtime(event);
    app ??= createApiApp(context, appOptions);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, lambdaContext.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS));
    const answer = { objects: context.objects, urlTtlSeconds: context.config.signedUrlTtlSeconds, method: event.requestContext.http.method.toUpperCase() };
    try {
      let request;
      try {
        request = toApiRequest(event, controller.signal);
      } catch (error) {
        return await toApiGatewayResult(errorResponse(error, event.requestContext.requestId, console.error, event.rawPath), answer);
      }
      return await toApiGatewayResult(await app(request), answer);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The Lambda handler: the container's runtime from the environment, built on the first request. */
export const handler: ApiHandler = createApiHandler((event) => awsRuntime(`https://${event.requestContext.domainName}`));
