import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type ObjectStore, RestainError, assertObjectKey } from '@restain/shared';
import { downloadObject } from './download-object';

/** Where a model folder lives in an object store: `s3://<bucket>/<prefix>/` in RESTAIN_MODEL. */
export interface RemoteModel {
  readonly bucket: string;
  /** Key prefix ending in `/`. */
  readonly prefix: string;
}

/** Parses `s3://bucket/prefix`; undefined for anything else (a local folder or `builtin`). */
export function parseRemoteModel(location: string): RemoteModel | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(location);
  if (!match) return undefined;
  const prefix = match[2].endsWith('/') ? match[2] : `${match[2]}/`;
  assertObjectKey(prefix.slice(0, -1));
  return { bucket: match[1], prefix };
}

/**
 * Copies a model folder (manifest.json + model.onnx files, subfolders kept) from an object store
 * into `targetDir`, once at worker start, so the engine reads it like any local model folder.
 * MODEL_INVALID when there is no manifest.json under the prefix.
 */
export async function downloadModelFolder(objects: ObjectStore, prefix: string, targetDir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let sawManifest = false;
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter });
    for (const object of page.objects) {
      const relative = object.key.slice(prefix.length);
      if (relative === '' || relative.endsWith('/')) continue;
      assertObjectKey(relative); // no `..` or empty segments: stays inside targetDir
      const file = path.join(targetDir, ...relative.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      bytes += await downloadObject(objects, object.key, file);
      files++;
      if (relative === 'manifest.json') sawManifest = true;
    }
    startAfter = page.nextStartAfter;
  } while (startAfter);
  if (!sawManifest) {
    throw new RestainError('MODEL_INVALID', `Expected a model folder (manifest.json and model.onnx files) under ${prefix} but found ${files} file(s) and no manifest.json`);
  }
  return { files, bytes };
}
