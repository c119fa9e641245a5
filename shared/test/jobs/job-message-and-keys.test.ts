import { decodeJobMessage, encodeJobMessage, isJobId } from '../../src/jobs/job-message';
import { OBJECT_PREFIXES, inputKey, jobResultsPrefix, outboxPrefix, resultPrefix, uploadKey } from '../../src/jobs/object-keys';
import { assertObjectKey } from '../../src/ports/object-key';
import { expectRestainError } from '../ports/expect-restain-error';

const ID = '0b7e4b1c-3f2a-4c5d-9e8f-1a2b3c4d5e6f';

describe('job queue messages', () => {
  test('encode/decode round-trip and carry only the job id', () => {
    expect(encodeJobMessage({ jobId: ID, extra: 1 } as never)).toBe(`{"jobId":"${ID}"}`);
    expect(decodeJobMessage(encodeJobMessage({ jobId: ID }))).toEqual({ jobId: ID });
  });

  test.each(['not json', '{}', '{"jobId":42}', '{"jobId":"../etc"}', `{"jobId":"${ID.toUpperCase()}"}`, 'null'])('refuses %j', async (body) => {
    const error = await expectRestainError(() => decodeJobMessage(body), 'INVALID_ARGUMENT');
    expect(error.message).toContain(JSON.stringify(body.slice(0, 80)));
  });

  test('isJobId accepts only canonical lower-case UUIDv4', () => {
    expect(isJobId(ID)).toBe(true);
    expect(isJobId(ID.toUpperCase())).toBe(false);
    expect(isJobId('0b7e4b1c-3f2a-1c5d-9e8f-1a2b3c4d5e6f')).toBe(false); // version 1
    expect(isJobId(`${ID} `)).toBe(false);
  });
});

describe('object keys', () => {
  test('each kind of object has its place', () => {
    expect(uploadKey(ID)).toBe(`uploads/${ID}`);
    expect(inputKey(ID)).toBe(`inputs/${ID}/input.png`);
    expect(resultPrefix(ID, 2)).toBe(`results/${ID}/v2/`);
    expect(jobResultsPrefix(ID)).toBe(`results/${ID}/`);
    expect(resultPrefix(ID, 1).startsWith(jobResultsPrefix(ID))).toBe(true);
    expect(outboxPrefix('lab a/slide 1.png')).toBe('outbox/lab a/slide 1.png/');
    expect(Object.values(OBJECT_PREFIXES)).toEqual(['uploads/', 'inputs/', 'results/', 'inbox/', 'outbox/', 'models/']);
    for (const key of [uploadKey(ID), inputKey(ID), `${resultPrefix(ID, 1)}manifest.json`, `${outboxPrefix('a/b.png')}scoring.json`]) {
      expect(() => assertObjectKey(key)).not.toThrow();
    }
  });

  const SEGMENT = 'an empty, "." or ".." segment';
  const CONTROL = 'a control character or a backslash';
  test.each([
    ['', 'it is empty'],
    ['../x', SEGMENT],
    ['/abs', SEGMENT],
    ['a//b', SEGMENT],
    ['a/./b', SEGMENT],
    ['a/', SEGMENT],
    ['a\\b', CONTROL],
    ['a\u0000b', CONTROL],
    ['a\nb', CONTROL],
    ['a\u007fb', CONTROL],
    ['x'.repeat(1025), 'longer than 1024 bytes'],
    ['\u00e9'.repeat(513), 'longer than 1024 bytes'],
  ])('assertObjectKey refuses %j (%s)', async (key, why) => {
    const error = await expectRestainError(() => assertObjectKey(key), 'INVALID_ARGUMENT');
    expect(error.message).toContain(why);
  });

  test('assertObjectKey accepts ordinary keys, spaces and non-ASCII included, up to 1024 bytes', () => {
    for (const key of ['a', 'inbox/lab 1/slide (2).png', 'outbox/é/ü.json', '.hidden/x', 'a..b', 'x'.repeat(1024)]) {
      expect(() => assertObjectKey(key)).not.toThrow();
    }
  });
});
