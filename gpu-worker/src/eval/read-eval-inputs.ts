import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { type GtOutline, type GtPoint, type Raster, RestainError } from '@restain/shared';

export type GtKind = 'mask' | 'points' | 'outlines';

export interface GtFile {
  readonly name: string;
  readonly kind: GtKind;
  readonly path: string;
}

const SUFFIXES: ReadonlyArray<readonly [GtKind, string]> = [
  ['outlines', '.cells.json'],
  ['points', '.points.json'],
  ['mask', '.png'],
];

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then((s) => s.isDirectory(), () => false);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

/** Throw INPUT_NOT_FOUND unless `dir` is a directory. */
export async function requireDirectory(dir: string, role: string): Promise<void> {
  if (!(await isDirectory(dir))) {
    throw new RestainError('INPUT_NOT_FOUND', `Expected a ${role} directory at ${dir} but there is none`);
  }
}

/**
 * Truth files by image name. A JSON truth (outlines, then points) wins over `<name>.png`, which
 * in such sets is the IHC image itself (bcdata-sample holds 0.png beside 0.points.json).
 */
export async function listGroundTruth(gtDir: string): Promise<GtFile[]> {
  const names = (await readdir(gtDir)).sort();
  const byName = new Map<string, GtFile>();
  for (const [kind, suffix] of SUFFIXES) {
    for (const file of names) {
      if (!file.endsWith(suffix) || file.length === suffix.length) continue;
      const name = file.slice(0, -suffix.length);
      if (kind === 'mask' && (name.endsWith('.cells') || name.endsWith('.points'))) continue;
      if (!byName.has(name)) byName.set(name, { name, kind, path: path.join(gtDir, file) });
    }
  }
  const files = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length === 0) {
    throw new RestainError('INPUT_EMPTY', `Expected <name>.png, <name>.points.json or <name>.cells.json truth files in ${gtDir} but found none`);
  }
  return files;
}

/** The SegRefined image predicted for `name`, or null: <name>/SegRefined.png, <name>_SegRefined.png, <name>.png, or SegRefined.png for a single image. */
export async function findPrediction(predDir: string, name: string, onlyImage: boolean): Promise<string | null> {
  const candidates = [path.join(predDir, name, 'SegRefined.png'), path.join(predDir, `${name}_SegRefined.png`), path.join(predDir, `${name}.png`)];
  if (onlyImage) candidates.push(path.join(predDir, 'SegRefined.png'));
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return null;
}

/** An image as 8-bit RGB with alpha dropped (not composited), as PIL's convert('RGB') does. */
export async function readRgb(file: string): Promise<Raster> {
  try {
    const { data, info } = await sharp(file, { limitInputPixels: false })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new RestainError('CORRUPT_IMAGE', `Expected a readable image at ${file} but decoding failed: ${(error as Error).message}`, { cause: error });
  }
}

async function readJsonArray(file: string): Promise<unknown[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new RestainError('INVALID_ARGUMENT', `Expected JSON in ${file} but it does not parse: ${(error as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new RestainError('INVALID_ARGUMENT', `Expected a JSON array in ${file} but received ${typeof doc}`);
  return doc;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** <name>.points.json: [{x, y, label}]. */
export async function readPoints(file: string): Promise<GtPoint[]> {
  return (await readJsonArray(file)).map((p, i) => {
    const r = p as Record<string, unknown>;
    if (!isNum(r?.x) || !isNum(r?.y) || typeof r?.label !== 'string') {
      throw new RestainError('INVALID_ARGUMENT', `Expected {x, y, label} for point ${i} in ${file} but received ${JSON.stringify(p)}`);
    }
    return { x: r.x, y: r.y, label: r.label };
  });
}

/** <name>.cells.json: [{label, polygon: [[x, y], ...]}]. */
export async function readOutlines(file: string): Promise<GtOutline[]> {
  return (await readJsonArray(file)).map((o, i) => {
    const r = o as Record<string, unknown>;
    const poly = r?.polygon;
    if (typeof r?.label !== 'string' || !Array.isArray(poly) || !poly.every((v) => Array.isArray(v) && v.length >= 2 && isNum(v[0]) && isNum(v[1]))) {
      throw new RestainError('INVALID_ARGUMENT', `Expected {label, polygon: [[x, y], ...]} for outline ${i} in ${file}`);
    }
    return { label: r.label, polygon: poly.map((v: number[]) => [v[0], v[1]] as const) };
  });
}
