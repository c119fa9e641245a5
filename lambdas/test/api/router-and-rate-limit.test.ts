import { RestainError } from '@restain/shared';
import { HttpError } from '../../src/api/http-error';
import { RateLimiter } from '../../src/api/rate-limit';
import type { RouteSpec } from '../../src/api/route-spec';
import { createRouter } from '../../src/api/router';

const handler = async () => ({ status: 200 });
const route = (method: RouteSpec['method'], path: string): RouteSpec => ({ method, path, access: 'public', handler, doc: {} as RouteSpec['doc'] });

describe('createRouter', () => {
  const match = createRouter([
    route('GET', '/api/jobs/{jobId}'),
    route('DELETE', '/api/jobs/{jobId}'),
    route('GET', '/api/jobs/{jobId}/results'),
    route('GET', '/api/jobs/{jobId}/results.zip'),
    route('GET', '/api/jobs/{jobId}/files/{name}'),
    route('GET', '/api/jobs/special'),
  ]);

  test('extracts path parameters; literal segments win over parameters', () => {
    expect(match('GET', '/api/jobs/abc/files/Seg.png').params).toEqual({ jobId: 'abc', name: 'Seg.png' });
    expect(match('GET', '/api/jobs/abc/results.zip').route.path).toBe('/api/jobs/{jobId}/results.zip');
    expect(match('GET', '/api/jobs/special').route.path).toBe('/api/jobs/special');
    expect(match('DELETE', '/api/jobs/special').params).toEqual({ jobId: 'special' });
  });

  test('unknown paths are NOT_FOUND, empty segments never match a parameter', () => {
    for (const path of ['/api/jobs', '/api/jobs/', '/api/jobs//results', '/api/jobs/a/files/b/c', 'api/jobs/a']) {
      expect(() => match('GET', path)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
  });

  test('a known path with another method is METHOD_NOT_ALLOWED with Allow', () => {
    try {
      match('PUT', '/api/jobs/abc');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).code).toBe('METHOD_NOT_ALLOWED');
      expect((error as HttpError).headers).toEqual({ allow: 'GET, DELETE' });
    }
  });

  test('two routes for the same method and shape are refused', () => {
    expect(() => createRouter([route('GET', '/a/{x}'), route('GET', '/a/{y}')])).toThrow(/two routes/);
  });
});

describe('RateLimiter', () => {
  test('allows a burst of perMinute, then refills at perMinute per minute', () => {
    let nowMs = 0;
    const limiter = new RateLimiter(6, () => new Date(nowMs));
    for (let i = 0; i < 6; i++) limiter.take('a');
    let error: unknown;
    try {
      limiter.take('a');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RestainError);
    expect((error as HttpError).code).toBe('RATE_LIMITED');
    expect((error as HttpError).headers['retry-after']).toBe('10');
    limiter.take('b'); // buckets are per key
    nowMs = 10_000; // one token back (6 per minute)
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow(RestainError);
  });

  test('0 disables limiting; the bucket map stays bounded', () => {
    const off = new RateLimiter(0, () => new Date(0));
    for (let i = 0; i < 100; i++) off.take('a');
    const bounded = new RateLimiter(1, () => new Date(0), 3);
    for (const key of ['a', 'b', 'c', 'd']) bounded.take(key);
    // 'a' was evicted (least recently used) and starts with a full bucket again; 'd' is empty.
    bounded.take('a');
    expect(() => bounded.take('d')).toThrow(RestainError);
  });
});
