import fs from 'node:fs';
import sharp from 'sharp';
import { DEFAULT_POSTPROCESS_OPTIONS, type JobRecord } from '@restain/shared';
import { deepliifPostprocess } from '../../src/api/routes/deepliif-postprocess';
import { rescoreJob } from '../../src/results/rescore-job';
import { LOCAL_PRINCIPAL, decodedPng, jsonBody, multipartRequest } from '../results/api-request';
import { CRAFTED_CELLS, craftedSucceededJob } from '../results/crafted-result';
import { type LocalTestContext, makeLocalContext } from '../results/local-test-context';

const DEEPLIIF_KEYS = ['num_total', 'num_pos', 'num_neg', 'percent_pos', 'prob_thresh', 'seg_thresh', 'size_thresh', 'size_thresh_upper', 'marker_thresh'] as const;

let local: LocalTestContext;
let job: JobRecord;
let files: { img: Buffer; seg: Buffer };

beforeAll(async () => {
  local = makeLocalContext();
  job = await craftedSucceededJob(local.context, local.objects, { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 80, sizeThresh: 0 });
  const v1 = job.results[0];
  files = {
    img: fs.readFileSync(local.objects.localPath(`${v1.prefix}Input.png`)),
    seg: fs.readFileSync(local.objects.localPath(`${v1.prefix}Seg.png`)),
  };
});
afterAll(() => local.close());

function post(query: string, parts: Record<string, Buffer>, context = local.context) {
  const named = Object.fromEntries(Object.entries(parts).map(([field, bytes]) => [field, { filename: `ROI_1_${field}.png`, bytes }]));
  return deepliifPostprocess(multipartRequest('/api/postprocess', query, named), context, LOCAL_PRINCIPAL, {});
}

/** A marker image lighting up one disk: the strong negative (blue) one. */
async function markerOnNegative(): Promise<Buffer> {
  const cell = CRAFTED_CELLS[1];
  const width = 160;
  const height = 120;
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cell.x) ** 2 + (y - cell.y) ** 2 <= cell.r ** 2) data[y * width + x] = 255;
  return sharp(data, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

describe('POST /api/postprocess (DeepLIIF)', () => {
  it('re-scores uploaded img + seg_img in the request with the given thresholds', async () => {
    const response = await post('prob_thresh=150&size_thresh=0&resolution=40x&pil=true', { img: files.img, seg_img: files.seg });
    expect(response.status).toBe(200);
    const body = await jsonBody(response);
    expect(Object.keys(body.images)).toEqual(['SegOverlaid', 'SegRefined']);
    for (const name of ['SegOverlaid', 'SegRefined']) expect(await decodedPng(body.images[name])).toEqual({ width: 160, height: 120, format: 'png' });
    for (const key of DEEPLIIF_KEYS) expect(body.scoring).toHaveProperty(key);
    // Only the three disks at probability 230 pass 150; without marker_img the marker plays no part.
    expect(body.scoring).toMatchObject({ num_total: 3, num_pos: 2, num_neg: 1, prob_thresh: 150, size_thresh: 0, marker_thresh: null });
    const low = await jsonBody(await post('prob_thresh=80&size_thresh=0', { img: files.img, seg_img: files.seg }));
    expect(low.scoring).toMatchObject({ num_total: 6, num_pos: 3, num_neg: 3 });
    // Restain's median-area gate: at 0.95 the three r = 9 disks fall under 0.95 x the median area.
    const gated = await jsonBody(await post('prob_thresh=80&size_thresh=0&size_thresh_relative=0.95', { img: files.img, seg_img: files.seg }));
    expect(gated.scoring).toMatchObject({ num_total: 3, num_pos: 1, num_neg: 2, size_thresh_relative: 0.95 });
    await expect(post('size_thresh_relative=2', { img: files.img, seg_img: files.seg })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', message: expect.stringMatching(/for size_thresh_relative but received "2"/),
    });
  });

  it('agrees with re-scoring the stored job (the same post-processing), key for key', async () => {
    const thresholds = { ...DEFAULT_POSTPROCESS_OPTIONS, segThresh: 150, sizeThresh: 0 as const, resolution: '40x' as const };
    const version = await rescoreJob(local.context, job, thresholds);
    const body = await jsonBody(await post('prob_thresh=150&size_thresh=0', { img: files.img, seg_img: files.seg }));
    for (const key of DEEPLIIF_KEYS) expect(body.scoring[key]).toEqual(version.scoring[key]);
  });

  it('uses marker_img with marker_thresh: a marked negative cell becomes positive', async () => {
    const marker = await markerOnNegative();
    const body = await jsonBody(await post('prob_thresh=150&size_thresh=0&marker_thresh=100', { img: files.img, seg_img: files.seg, marker_img: marker }));
    expect(body.scoring).toMatchObject({ num_total: 3, num_pos: 3, num_neg: 0, marker_thresh: 100 });
    const slim = await jsonBody(await post('slim', { img: files.img, seg_img: files.seg, marker_img: marker }));
    expect(Object.keys(slim.images)).toEqual(['SegRefined']);
  });

  it('refuses a missing seg_img, mismatched sizes, non-images and images over the sync limit, with reasons', async () => {
    await expect(post('', { img: files.img })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Expected an image file in the multipart field "seg_img" but received files "img"' });
    const smaller = await sharp(files.seg).resize(80, 60).png().toBuffer();
    await expect(post('', { img: files.img, seg_img: smaller })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Expected seg_img to be 160x120 px like img but received 80x60 px',
    });
    await expect(post('', { img: files.img, seg_img: Buffer.from('hello') })).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringMatching(/^seg_img \(ROI_1_seg_img\.png\) is not an image/),
    });
    const tight = { ...local.context, config: { ...local.context.config, syncMaxPixels: 10_000 } };
    await expect(post('', { img: files.img, seg_img: files.seg }, tight)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', httpStatus: 413, message: expect.stringMatching(/^img \(ROI_1_img\.png\) is 160x120 px/) });
    // Every refused request cleaned up after itself.
    expect(fs.readdirSync(local.context.config.tempDir).filter((name) => name.startsWith('postprocess-') || name.startsWith('upload-'))).toEqual([]);
  });
});
