import type { ApiConfig } from '../../src/api/app-context';
import { type ApiApp, createApiApp } from '../../src/api/app';
import { acceptUploadedObject } from '../../src/jobs/accept-uploaded-object';
import { type NodeServerOptions, type RunningServer, startNodeServer } from '../../src/local-platform/node-server';
import { createSignedObjectRoute } from '../../src/local-platform/signed-object-route';
import { type TestContext, makeTestContext } from './make-test-context';

export interface TestServer extends TestContext {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly server: RunningServer;
  /** Lines the app and server logged (bugs only: tests assert it stays empty where that matters). */
  readonly logged: string[];
  /** Stops the server, then removes the context's folder. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  readonly config?: Partial<ApiConfig>;
  readonly server?: Partial<Omit<NodeServerOptions, 'host' | 'port' | 'extraRoutes'>>;
  readonly now?: () => Date;
}

/**
 * The API app plus the signed-object route (wired to acceptUploadedObject, as the local
 * platform does) on a real Node server at 127.0.0.1, port 0, over a fresh makeTestContext.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);
  // The URL is known only once the server listens; the app and the store need it, so both are bound after.
  let app: ApiApp = async () => ({ status: 503 });
  let objectsRoute: ApiApp = async () => ({ status: 503 });
  const server = await startNodeServer((request) => app(request), {
    host: '127.0.0.1',
    port: 0,
    log,
    ...options.server,
    extraRoutes: [{ pathPrefix: '/api/objects/', handler: (request) => objectsRoute(request) }],
  });
  const test = makeTestContext({ config: { publicBaseUrl: server.url, ...options.config }, signedUrlBase: server.url, now: options.now });
  app = createApiApp(test.context, { log });
  objectsRoute = createSignedObjectRoute({
    objects: test.objects,
    maxUploadBytes: test.context.config.maxUploadBytes,
    onUploaded: async (key) => void (await acceptUploadedObject(test.context, key)),
    now: test.context.now,
    log,
  }).handler;
  return {
    ...test,
    url: server.url,
    server,
    logged,
    stop: async () => {
      await server.close();
      test.close();
    },
  };
}
