import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { type Raster, RestainError } from '@restain/shared';
import { firstLine } from './inspect-image-file';
import { checkRasterSize } from './vips-header';

/** Encode an in-memory raster as PNG (no metadata) at `filePath`. */
export async function writePngRaster(raster: Raster, filePath: string): Promise<void> {
  // A Buffer view over the raster's memory: sharp reads it in place (no copy of a large image).
  const view = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  await sharp(view, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
    .png({ compressionLevel: 6 })
    .toFile(filePath);
}

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encode an image given as row bands (top to bottom, 8-bit grey or RGB) as PNG at `filePath`,
 * as sharp's writePngRaster would (zlib level 6, no row filter, no metadata), holding one band
 * at a time: for images too large to hold whole a second time. A band may be reused by the
 * producer once the next is asked for. On failure no file is left behind.
 */
export async function writePngBands(filePath: string, width: number, height: number, channels: 1 | 3, bands: Iterable<Raster>): Promise<void> {
  checkRasterSize(width, height);
  const rowBytes = width * channels;
  async function* filteredRows(): AsyncGenerator<Buffer> {
    let rows = 0;
    for (const band of bands) {
      if (band.width !== width || band.channels !== channels || band.data.length !== band.height * rowBytes) {
        throw new RestainError('INVALID_ARGUMENT', `Expected ${width}-pixel rows of ${channels} channel(s) but received a ${band.width}x${band.height}x${band.channels} band`);
      }
      // Each row starts with its filter type: 0, none.
      const out = Buffer.alloc(band.height * (rowBytes + 1));
      for (let r = 0; r < band.height; r++) out.set(band.data.subarray(r * rowBytes, (r + 1) * rowBytes), r * (rowBytes + 1) + 1);
      rows += band.height;
      yield out;
    }
    if (rows !== height) throw new RestainError('INVALID_ARGUMENT', `Expected ${height} rows but received ${rows}`);
  }
  async function* pngChunks(compressed: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8; // bits per sample
    header[9] = channels === 3 ? 2 : 0; // colour type: RGB or grey
    yield PNG_SIGNATURE;
    yield pngChunk('IHDR', header);
    for await (const data of compressed) yield pngChunk('IDAT', data);
    yield pngChunk('IEND', new Uint8Array(0));
  }
  try {
    // Opened before the pipeline starts, so no late open can recreate the file after a failure removed it.
    const file = await fs.promises.open(filePath, 'w');
    await pipeline(filteredRows, zlib.createDeflate({ level: 6, chunkSize: 1 << 16 }), pngChunks, file.createWriteStream());
  } catch (error) {
    await fs.promises.rm(filePath, { force: true });
    if (error instanceof RestainError) throw error;
    throw new RestainError('OUTPUT_FAILED', `cannot write ${filePath}: ${firstLine(error)}`, { cause: error });
  }
}
