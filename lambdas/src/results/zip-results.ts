import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { type ObjectInfo, type ResultVersion, RestainError } from '@restain/shared';
import type { AppContext } from '../api/app-context';

/** PNGs are already deflated: storing them saves CPU and loses nothing. */
function compresses(name: string): boolean {
  return !name.toLowerCase().endsWith('.png');
}

/**
 * Every file of one result version as a ZIP (entries named as the files, at the archive's root),
 * streamed: each object is opened only when its entry is written, so memory stays at a few
 * chunks whatever the result's size. Missing files fail with NOT_FOUND before the first byte;
 * a failure later ends the stream with that error (the archive is then incomplete).
 */
export async function* zipResultVersion(context: AppContext, version: ResultVersion): AsyncIterable<Uint8Array> {
  const infos: ObjectInfo[] = [];
  for (const name of version.files) {
    const info = await context.objects.head(`${version.prefix}${name}`);
    if (!info) throw new RestainError('NOT_FOUND', `Result file ${name} of version ${version.version} is missing from the object store`);
    infos.push(info);
  }
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));
  version.files.forEach((name, i) => {
    const info = infos[i];
    zip.addReadStreamLazy(name, { size: info.sizeBytes, mtime: info.lastModified, compress: compresses(name) }, (callback) => {
      context.objects.get(info.key).then(
        (object) =>
          object
            ? callback(null, Readable.from(object.body, { objectMode: false }))
            : callback(new RestainError('NOT_FOUND', `Result file ${name} disappeared while the ZIP was being written`), undefined as never),
        (error: Error) => callback(error, undefined as never),
      );
    });
  });
  zip.end();
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
  } finally {
    // The consumer stopped early (client gone): release the object being read.
    output.destroy();
  }
}
