import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { type JobRecord, type PostprocessOptions, type ResultVersion, inputKey, markQueued, markRunning, markSucceeded, markUploaded, resultPrefix, updateJob } from '@restain/shared';
import { postprocessResult, resultFolderMaps } from '@restain/gpu-worker';
import type { LocalFolderObjectStore } from '@restain/shared/node';
import type { AppContext } from '../../src/api/app-context';
import { newJob } from './local-test-context';

const WIDTH = 160;
const HEIGHT = 120;

/** Disks of the Seg image: centre, radius, and the red (positive) or blue (negative) probability. */
export const CRAFTED_CELLS = [
  { x: 25, y: 25, r: 9, red: 230, blue: 0 },
  { x: 70, y: 30, r: 10, red: 0, blue: 230 },
  { x: 120, y: 28, r: 9, red: 230, blue: 0 },
  { x: 30, y: 85, r: 10, red: 100, blue: 0 },
  { x: 80, y: 90, r: 9, red: 0, blue: 100 },
  { x: 130, y: 88, r: 10, red: 0, blue: 100 },
];

function rgb(fill: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data.set(fill(x, y), (y * WIDTH + x) * 3);
  return data;
}

async function writePng(file: string, data: Buffer, channels: 1 | 3): Promise<void> {
  await sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels } }).png().toFile(file);
}

const cellAt = (x: number, y: number) => CRAFTED_CELLS.find((c) => (x - c.x) ** 2 + (y - c.y) ** 2 <= c.r ** 2);

/**
 * A succeeded job whose v1 was made from hand-drawn maps: six disks in Seg.png, three at
 * probability 230 and three at 100, so a seg threshold between them changes the count (6 -> 3).
 */
export async function craftedSucceededJob(context: AppContext, objects: LocalFolderObjectStore, postprocess: PostprocessOptions): Promise<JobRecord> {
  const dir = fs.mkdtempSync(path.join(context.config.tempDir, 'crafted-'));
  try {
    await writePng(path.join(dir, 'Seg.png'), rgb((x, y) => {
      const cell = cellAt(x, y);
      return cell ? [cell.red, 0, cell.blue] : [0, 0, 0];
    }), 3);
    const tissue = rgb((x, y) => (cellAt(x, y) ? [120, 90, 160] : [235, 232, 230]));
    for (const name of ['Input.png', 'Hema.png', 'DAPI.png', 'Lap2.png']) await writePng(path.join(dir, name), tissue, 3);
    await writePng(path.join(dir, 'Marker.png'), Buffer.alloc(WIDTH * HEIGHT), 1);
    await writePng(path.join(dir, 'DAB.png'), Buffer.alloc(WIDTH * HEIGHT, 30), 1);
    const { scoring } = await postprocessResult(resultFolderMaps(dir, 1_000_000), dir, postprocess);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ parameters: { postprocess, maxPixels: 1_000_000 }, timingsMs: {} }));

    const job = await newJob(context);
    const input = { key: inputKey(job.id), displayName: 'crafted.png', format: 'png', width: WIDTH, height: HEIGHT, sizeBytes: 1, sha256: '0'.repeat(64) };
    await updateJob(context.jobs, job.id, (record) => markRunning(markQueued(markUploaded(record, input, context.now()), context.now()), 1, context.now()));
    const prefix = resultPrefix(job.id, 1);
    const files = fs.readdirSync(dir).sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'));
    for (const name of files) await objects.put(`${prefix}${name}`, fs.readFileSync(path.join(dir, name)), { ifNoneMatch: '*' });
    const result: ResultVersion = { version: 1, prefix, createdAt: context.now().toISOString(), postprocess, scoring, files };
    return (await updateJob(context.jobs, job.id, (record) => markSucceeded(record, result, context.config.retentionSeconds, context.now())))!.record;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
