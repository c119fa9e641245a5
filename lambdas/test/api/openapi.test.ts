import { buildOpenApiDocument } from '../../src/api/openapi/openapi-document';
import { API_ROUTES } from '../../src/api/routes/route-table';
import { requestJson } from '../support/http-client';
import { type TestServer, startTestServer } from '../support/start-test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { requireApiKeys: true } });
});
afterAll(() => server.stop());

describe('GET /api/openapi.json', () => {
  test('documents every registered route with its path parameters, security and error responses', async () => {
    const answer = await requestJson(`${server.url}/api/openapi.json`);
    expect(answer.status).toBe(200);
    const document = answer.body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: server.url }]);
    const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(API_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of API_ROUTES) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const documented = (operation.parameters ?? []).filter((parameter: any) => parameter.in === 'path').map((parameter: any) => parameter.name);
      expect(documented).toEqual(pathParams);
      expect(operation.responses['500']).toBeDefined();
      if (route.access !== 'public') expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '429']));
      expect(operation.security).toEqual(route.access === 'public' ? [] : expect.arrayContaining([{ apiKey: [] }]));
    }
    for (const deepliif of ['/api/infer', '/api/batch/infer', '/api/batch/infer/{task_id}', '/api/postprocess']) expect(document.paths[deepliif]).toBeDefined();
  });

  test('every schema reference resolves', () => {
    const document = buildOpenApiDocument(API_ROUTES);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect((document.components as any).schemas[name]).toBeDefined();
  });

  test('a route with an undocumented path parameter cannot be published', () => {
    const [route] = API_ROUTES.filter((candidate) => candidate.path.includes('{'));
    expect(() => buildOpenApiDocument([{ ...route, doc: { ...route.doc, pathParameters: {} } }])).toThrow(/path parameter/);
  });
});
