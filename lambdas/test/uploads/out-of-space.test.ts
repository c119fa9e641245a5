import os from 'node:os';
import { RestainError } from '@restain/shared';
import { isOutOfSpaceError, storageFailure } from '../../src/uploads/out-of-space';

describe('full-disk detection', () => {
  it('recognises ENOSPC/EDQUOT errnos and libvips write failures anywhere in the cause chain', () => {
    expect(isOutOfSpaceError(Object.assign(new Error('write'), { code: 'ENOSPC' }))).toBe(true);
    expect(isOutOfSpaceError(Object.assign(new Error('write'), { code: 'EDQUOT' }))).toBe(true);
    const vips = new Error('vips__file_write: write failed\nunix error: No space left on device');
    const wrapped = new RestainError('CORRUPT_IMAGE', 'scan.png is corrupt or truncated: vips__file_write: write failed', { cause: vips });
    expect(isOutOfSpaceError(wrapped)).toBe(true);
    expect(isOutOfSpaceError(new RestainError('CORRUPT_IMAGE', 'scan.png is corrupt or truncated: VipsJpeg: Premature end of input file'))).toBe(false);
    expect(isOutOfSpaceError(undefined)).toBe(false);
  });

  it('turns a full-disk failure into INSUFFICIENT_STORAGE (507) and leaves real bad input alone', async () => {
    const full = await storageFailure(new RestainError('CORRUPT_IMAGE', 'x', { cause: Object.assign(new Error('w'), { code: 'ENOSPC' }) }), os.tmpdir());
    expect(full).toMatchObject({ code: 'INSUFFICIENT_STORAGE', httpStatus: 507 });
    // The test machine's temp folder has space: a corrupt image stays a corrupt image.
    expect(await storageFailure(new RestainError('CORRUPT_IMAGE', 'truncated'), os.tmpdir())).toBeUndefined();
  });
});
