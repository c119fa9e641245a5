/**
 * Data sets, image I/O and scoring for tuning the built-in engine on the real data in
 * /work/shared/data (dev only: reads files, runs the python scoring tools).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';

export const DATA = '/work/shared/data';
export const TOOLS = '/work/shared/tools';
export const PYTHON = '/usr/bin/python3';

export type SetName = 'deepliif' | 'paired' | 'bcdata' | 'ki67';

export interface ImageCase {
  readonly set: SetName;
  readonly id: string;
  readonly file: string;
  /** Crop of the input (paired images hold six panels). */
  readonly crop?: { left: number; top: number; width: number; height: number };
  /** Input px -> reference px; 'auto' measures the nuclei first (see estimateScale in tune-builtin.ts). */
  readonly scale: number | 'auto';
}

/**
 * Scale factors to the 40x reference. DeepLIIF tiles are 40x (median nucleus equivalent diameter
 * in its masks: 27-29 px). ki67-outlines polygons: median equivalent diameter 54-79 px per image,
 * ~68 overall, so 0.4. bcdata nuclei vary from ~25 to ~80 px between images, so each image is
 * measured (REFERENCE_NUCLEUS_DIAMETER_PX / the area-weighted median diameter found at scale 1).
 */
export const SET_SCALE: Record<SetName, number | 'auto'> = { deepliif: 1, paired: 1, bcdata: 'auto', ki67: 0.4 };

/** Median equivalent diameter of nuclei in the DeepLIIF 40x ground-truth masks (px). */
export const REFERENCE_NUCLEUS_DIAMETER_PX = 28;

export function listCases(sets: readonly SetName[], scales: Partial<Record<SetName, number>> = {}): ImageCase[] {
  const out: ImageCase[] = [];
  const scale = (s: SetName): number | 'auto' => scales[s] ?? SET_SCALE[s];
  if (sets.includes('deepliif')) {
    for (const id of ['22_2', '34_3']) out.push({ set: 'deepliif', id, file: join(DATA, 'deepliif-sample/test-ihc', `${id}.png`), scale: scale('deepliif') });
  }
  if (sets.includes('paired')) {
    for (const id of ['Lung1', 'Bladder1']) {
      out.push({ set: 'paired', id, file: join(DATA, 'deepliif-sample/paired', `${id}.png`), crop: { left: 0, top: 0, width: 512, height: 512 }, scale: scale('paired') });
    }
  }
  if (sets.includes('bcdata')) {
    for (const id of ['0', '1', '2', '3', '4', '5']) out.push({ set: 'bcdata', id, file: join(DATA, 'bcdata-sample', `${id}.png`), scale: scale('bcdata') });
  }
  if (sets.includes('ki67')) {
    for (const id of ['1309620_A2_27', '1309620_A2_28', '1329941_B3_25', '1329941_B3_26', '8682421_A3_26']) {
      out.push({ set: 'ki67', id, file: join(DATA, 'ki67-outlines', `${id}.jpg`), scale: scale('ki67') });
    }
  }
  return out;
}

/** Decode (and crop) an input at its own scale plus resized to the reference scale. */
export async function loadCase(c: ImageCase, scale = c.scale === 'auto' ? 1 : c.scale): Promise<{ original: { width: number; height: number }; reference: Raster }> {
  let image = sharp(c.file).removeAlpha();
  if (c.crop) image = image.extract(c.crop);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const original = { width: info.width, height: info.height };
  if (scale === 1) return { original, reference: { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } };
  const width = Math.round(info.width * scale);
  const height = Math.round(info.height * scale);
  const resized = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .resize(width, height, { kernel: scale < 1 ? 'lanczos3' : 'cubic' })
    .raw()
    .toBuffer();
  return { original, reference: { width, height, channels: 3, data: new Uint8Array(resized) } };
}

/** Write an RGB raster as PNG, resized (nearest neighbour) to the given size. */
export async function writePng(raster: Raster, path: string, size?: { width: number; height: number }): Promise<void> {
  let image = sharp(Buffer.from(raster.data), { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  if (size && (size.width !== raster.width || size.height !== raster.height)) image = image.resize(size.width, size.height, { kernel: 'nearest' });
  await image.png({ compressionLevel: 1 }).toFile(path);
}

/** Rasterise ki67-outlines polygons into a DeepLIIF-colour mask (cached under dir). */
export function ki67GroundTruth(id: string, dir: string, scale = 1): string {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${id}.png`);
  if (existsSync(out)) return out;
  const script = [
    'import json,sys', 'from PIL import Image, ImageDraw',
    'src,out,k=sys.argv[1],sys.argv[2],float(sys.argv[3])', 'cells=json.load(open(src))',
    "im=Image.open(src.replace('.cells.json','.jpg'))", "m=Image.new('RGB',(round(im.size[0]*k),round(im.size[1]*k)))", 'd=ImageDraw.Draw(m)',
    'for c in cells:',
    "  col=(255,0,0) if c['label']=='positive' else (0,0,255)",
    "  d.polygon([(x*k,y*k) for x,y in c['polygon']], fill=col, outline=(0,255,0), width=max(2,round(3*k)))",
    'm.save(out)',
  ].join('\n');
  execFileSync(PYTHON, ['-c', script, join(DATA, 'ki67-outlines', `${id}.cells.json`), out, String(scale)]);
  return out;
}

export type Scores = Record<string, Record<string, number | null>>;

/** Run a python scorer and return its per-image JSON results. */
export function runScorer(args: string[]): Scores {
  const text = execFileSync(PYTHON, args, { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return JSON.parse(text).per_image as Scores;
}

/**
 * Score one set's predictions (written as <predDir>/<id>.png). ki67Scale < 1 scores ki67-outlines
 * at that scale (GT polygons scaled, predictions left at the reference scale): a fast mode for
 * parameter search; final figures use 1 (predictions upscaled to the original).
 */
export function scoreSet(set: SetName, predDir: string, gtCache: string, ids: readonly string[], ki67Scale = 1): Scores {
  const seg = join(TOOLS, 'evaluate-seg.py');
  switch (set) {
    case 'deepliif':
      return runScorer([seg, predDir, join(DATA, 'deepliif-sample/test-groundtruth'), '--pred-suffix', '.png', '--ignore-unannotated', '0.5', '--size-thresh', '0', '--quiet']);
    case 'paired':
      return runScorer([seg, predDir, join(DATA, 'deepliif-sample/paired'), '--pred-suffix', '.png', '--gt-panel', '5', '--size-thresh', '0', '--quiet']);
    case 'bcdata':
      return runScorer([join(TOOLS, 'evaluate-points.py'), predDir, join(DATA, 'bcdata-sample'), '--radius', '10', '--quiet']);
    case 'ki67': {
      for (const id of ids) ki67GroundTruth(id, gtCache, ki67Scale);
      return runScorer([seg, predDir, gtCache, '--pred-suffix', '.png', '--size-thresh', '0', '--quiet']);
    }
  }
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
