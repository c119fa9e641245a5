import { ApiError, createApiClient, errorFromResponse, sameOriginPath } from './api-client';

function fakeFetch(answer: () => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = jest.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe('errorFromResponse', () => {
  test('uses the API error body, adding a hint on 401', () => {
    const error = errorFromResponse(401, 'Unauthorized', JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Expected an API key.' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: 'Expected an API key. Enter an API key under "API key" in the header.' });
  });

  test('explains bodies that are not API errors (a proxy page, nothing)', () => {
    expect(errorFromResponse(502, 'Bad Gateway', '<html>oops</html>')).toMatchObject({
      code: 'HTTP_502',
      message: 'The server answered 502 Bad Gateway (the service is unavailable; try again shortly)',
    });
    expect(errorFromResponse(418, '', '')).toMatchObject({ code: 'HTTP_418', message: 'The server answered 418 (unexpected answer)' });
  });
});

describe('createApiClient', () => {
  test('sends the key as a Bearer token and parses the job', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(JSON.stringify({ job: { id: 'j1', state: 'queued' } }), { status: 200 }));
    const job = await createApiClient({ apiKey: ' rk_123 ', fetch }).getJob('j1');
    expect(job).toEqual({ id: 'j1', state: 'queued' });
    expect(calls[0].url).toBe('/api/jobs/j1');
    expect(calls[0].init.headers).toMatchObject({ authorization: 'Bearer rk_123' });
  });

  test('no key, no Authorization header; JSON bodies are sent with their content type', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(JSON.stringify({ feedback: { text: 'ok', createdAt: 'now' } }), { status: 201 }));
    await createApiClient({ fetch }).addFeedback('j1', 'ok');
    expect(calls[0].init.headers).not.toHaveProperty('authorization');
    expect(calls[0].init).toMatchObject({ method: 'POST', body: '{"text":"ok"}', headers: { 'content-type': 'application/json' } });
  });

  test('API errors reject with their code, status and message', async () => {
    const { fetch } = fakeFetch(() => new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No job x found for this caller' } }), { status: 404 }));
    await expect(createApiClient({ fetch }).getResults('x')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'No job x found for this caller' });
  });

  test('a network failure becomes a NETWORK error; an abort stays an abort', async () => {
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(createApiClient({ fetch: offline.fetch }).listJobs()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
    const aborted = fakeFetch(() => Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    await expect(createApiClient({ fetch: aborted.fetch }).listJobs()).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('a 2xx answer that is not JSON is a BAD_RESPONSE; 204 resolves empty', async () => {
    const html = fakeFetch(() => new Response('<html></html>', { status: 200 }));
    await expect(createApiClient({ fetch: html.fetch }).config()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    const empty = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createApiClient({ fetch: empty.fetch }).deleteJob('j1')).resolves.toBeUndefined();
  });

  test('absolute URLs from the API are fetched on this origin', () => {
    expect(sameOriginPath('http://127.0.0.1:8080/api/jobs/j/files/Hema.png?version=2')).toBe('/api/jobs/j/files/Hema.png?version=2');
    expect(sameOriginPath('/api/jobs')).toBe('/api/jobs');
  });
});
