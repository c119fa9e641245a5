import { classifyInboxKey, dropFolderOf, summaryKey } from '../../src/drop-folder/drop-paths';
import { renderSummaryCsv } from '../../src/drop-folder/folder-summary';

describe('classifyInboxKey', () => {
  it.each([
    ['inbox/slide.png', 'slide.png'],
    ['inbox/batch 1/sub/Ki67 (2).tif', 'batch 1/sub/Ki67 (2).tif'],
    ['inbox/résumé.jpg', 'résumé.jpg'],
  ])('takes %j as an image candidate at %j', (key, dropPath) => {
    expect(classifyInboxKey(key)).toEqual({ kind: 'candidate', dropPath });
  });

  it.each([
    'inbox/.DS_Store',
    'inbox/.hidden/slide.png',
    'inbox/batch/.slide.png.swp',
    'inbox/slide.png.part',
    'inbox/slide.png.crdownload',
    'inbox/slide.tmp',
    'inbox/~$report.png',
    'inbox/slide.png~',
    'inbox/batch/Thumbs.db',
    'inbox/batch/',
    'inbox/',
  ])('ignores %j', (key) => {
    expect(classifyInboxKey(key).kind).toBe('ignored');
  });

  it.each([
    ['inbox/../etc/passwd.png', '".." segment'],
    ['inbox/a/../../b.png', '".." segment'],
    ['inbox//etc/x.png', 'absolute'],
    ['inbox/a//b.png', 'empty'],
    ['inbox/a/./b.png', 'segment'],
    ['inbox/evil\u0000.png', 'control character'],
    ['inbox/line\nbreak.png', 'control character'],
    ['inbox/a\\..\\b.png', 'backslash'],
    ['outbox/x.png', 'not under inbox/'],
    ['inbox/batch/summary.csv', 'reserved'],
    [`inbox/${'a'.repeat(901)}.png`, 'longer than 900 bytes'],
  ])('refuses path trick #%#', (key, reason) => {
    const entry = classifyInboxKey(key);
    expect(entry.kind).toBe('refused');
    expect(entry.kind !== 'candidate' && entry.reason).toContain(reason);
  });
});

describe('folders and summaries', () => {
  it('puts a summary beside the images of each folder', () => {
    expect(dropFolderOf('a/b/c.png')).toBe('a/b');
    expect(dropFolderOf('c.png')).toBe('');
    expect(summaryKey('a/b')).toBe('outbox/a/b/summary.csv');
    expect(summaryKey('')).toBe('outbox/summary.csv');
  });

  it('renders one sorted row per image, quotes what needs it and defuses spreadsheet formulas', () => {
    const csv = renderSummaryCsv([
      { path: 'b/=cmd.png', jobId: '2', claimedAt: 't', state: 'failed', error: 'CORRUPT_IMAGE: bad, "truncated"' },
      { path: 'b/a.png', jobId: '1', claimedAt: 't', state: 'succeeded', scoring: { num_total: 10, num_pos: 3, num_neg: 7, percent_pos: 30, h_score: 55.5 } },
      { path: 'b/c.png', jobId: '3', claimedAt: 't', state: 'pending' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'path,state,num_total,num_pos,num_neg,percent_pos,h_score,error',
      'b/=cmd.png,failed,,,,,,"CORRUPT_IMAGE: bad, ""truncated"""',
      'b/a.png,succeeded,10,3,7,30,55.5,',
      'b/c.png,pending,,,,,,',
      '',
    ]);
    expect(renderSummaryCsv([{ path: '=HYPERLINK("x").png', jobId: '1', claimedAt: 't', state: 'pending' }])).toContain(`"'=HYPERLINK(""x"").png"`);
  });
});
