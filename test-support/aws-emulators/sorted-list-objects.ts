import http from 'node:http';

/**
 * ListObjectsV2 in S3's order for the conditional-write shim. s3rver walks its folders, so a key
 * under a "folder" `p/b/` comes before `p/b-d` although S3 lists in UTF-8 byte order (`-` < `/`).
 * This reads s3rver's whole listing under the prefix (following its continuation tokens), sorts
 * it by bytes, applies start-after / continuation-token / max-keys as S3 does, and answers with
 * s3rver's own `<Contents>` entries. Delimiter listings are not handled (callers forward those).
 */

interface Entry {
  readonly key: string;
  readonly xml: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) =>
    name[0] === '#' ? String.fromCodePoint(name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1))) : (ENTITIES[name] ?? whole),
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${Object.keys(ENTITIES).find((name) => ENTITIES[name] === c)};`);
}

function getText(upstream: URL, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: upstream.hostname, port: upstream.port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body })).on('error', reject);
      })
      .on('error', reject);
  });
}

/** Every object under `prefix` in s3rver's bucket, in s3rver's (walk) order. */
async function listAll(upstream: URL, bucket: string, prefix: string): Promise<Entry[] | { status: number; body: string }> {
  const entries: Entry[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({ 'list-type': '2', prefix, ...(token ? { 'continuation-token': token } : {}) });
    const answer = await getText(upstream, `/${bucket}?${query}`);
    if (answer.status !== 200) return answer;
    for (const [xml, key] of answer.body.matchAll(/<Contents><Key>([^<]*)<\/Key>[\s\S]*?<\/Contents>/g)) entries.push({ key: unescapeXml(key), xml });
    token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(answer.body)?.[1];
    if (!/<IsTruncated>true<\/IsTruncated>/.test(answer.body) || !token) return entries;
    token = unescapeXml(token);
  }
  throw new Error(`Expected s3rver's listing of ${bucket}/${prefix} to end within 1000 pages`);
}

/** Answers a path-style ListObjectsV2 request for `bucket` (query in `url`) in S3's byte order. */
export async function answerSortedList(upstream: URL, bucket: string, url: URL, response: http.ServerResponse): Promise<void> {
  const params = url.searchParams;
  const prefix = params.get('prefix') ?? '';
  const token = params.get('continuation-token');
  const startAfter = token !== null ? Buffer.from(token, 'base64url').toString('utf8') : (params.get('start-after') ?? '');
  const maxKeys = Math.min(1000, Number(params.get('max-keys') ?? 1000));
  const all = await listAll(upstream, bucket, prefix);
  if (!Array.isArray(all)) {
    response.writeHead(all.status, { 'content-type': 'application/xml' });
    response.end(all.body);
    return;
  }
  const after = Buffer.from(startAfter, 'utf8');
  const sorted = all
    .map((entry) => ({ ...entry, bytes: Buffer.from(entry.key, 'utf8') }))
    .filter((entry) => Buffer.compare(entry.bytes, after) > 0)
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const page = sorted.slice(0, maxKeys);
  const truncated = sorted.length > page.length;
  const next = truncated ? `<NextContinuationToken>${Buffer.from(page[page.length - 1].key, 'utf8').toString('base64url')}</NextContinuationToken>` : '';
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
    (token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : startAfter ? `<StartAfter>${escapeXml(startAfter)}</StartAfter>` : '') +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}` +
    page.map((entry) => entry.xml).join('') +
    '</ListBucketResult>';
  response.writeHead(200, { 'content-type': 'application/xml' });
  response.end(body);
}
