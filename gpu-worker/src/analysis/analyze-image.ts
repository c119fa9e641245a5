import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type BackgroundIntensity,
  type Raster,
  type Rect,
  type Scoring,
  type StainVectors,
  estimateBackgroundIntensity,
  estimateStainVectors,
} from '@restain/shared';
import { CHANNEL_NAMES, type ChannelName, type Engine, type EngineContext } from '../engines/engine';
import { RasterFileWriter, encodePng, openImage, readRegion, readRegionMirrored, resizeRasterFile } from '../image';
import type { AnalyzeOptions } from './analyze-options';
import { OUTPUT_FILES, channelBackground, channelFile } from './channel-files';
import { CODE_VERSION } from './code-version';
import { writeDabMap } from './dab-map';
import { postprocessResult, rasterFileMaps } from './postprocess-result';
import { describeScale, resolveScale } from './resolve-scale';
import { ResultStaging } from './result-staging';
import { type TileProgress, runTiles, throwIfCancelled } from './run-tiles';
import { shrinkSegFile } from './shrink-seg';
import { StageTimer } from './stage-timer';
import { trackTempDir, untrackTempDir } from './temp-dirs';

export interface AnalyzeRequest {
  readonly inputPath: string;
  readonly outDir: string;
  readonly options: AnalyzeOptions;
  readonly engine: Engine;
  /** Tiles in flight at once (the engine's thread count is a good value). */
  readonly concurrency: number;
  readonly onProgress?: (progress: TileProgress) => void;
  /** Cancels the analysis (worker shutdown): it stops between stages and tiles, removes its temp and
   * staging files, publishes nothing and rejects with a CANCELLED RestainError. */
  readonly signal?: AbortSignal;
}

export interface AnalyzeResult {
  readonly outDir: string;
  readonly scoring: Scoring;
  readonly manifest: Record<string, unknown>;
}

/**
 * Whole-image libvips jobs (resizes, PNG encodes) run two at a time (each is multi-threaded), one
 * at a time on large images: libvips maps the raster file it reads, so each concurrent job adds
 * its file to RSS.
 */
function encodeConcurrency(pixels: number): number {
  return pixels > 25_000_000 ? 1 : 2;
}

/** Edge of the central sample an engine derives per-image context from. */
const CONTEXT_SAMPLE_PX = 1024;

async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
}

/**
 * Stain vectors and glass intensity for the DAB map: the engine's own when it derived them (the
 * built-in engine does), so DAB.png agrees with its Marker; otherwise estimated from the sample.
 */
function stainsFor(context: EngineContext, sample: Raster): { stains: StainVectors; background: BackgroundIntensity } {
  const { stains, background } = context as { stains?: StainVectors; background?: BackgroundIntensity };
  if (stains?.hematoxylin?.length === 3 && stains.dab?.length === 3 && background?.length === 3) return { stains, background };
  const estimated = estimateBackgroundIntensity(sample);
  return { stains: estimateStainVectors(sample, estimated).stains, background: estimated };
}

function centralRegion(width: number, height: number, edge: number): Rect {
  const w = Math.min(width, edge);
  const h = Math.min(height, edge);
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}

/**
 * Analyse one image end to end: decode and normalise, bring it to the engine's reference scale,
 * run the engine tile by tile, stitch the channels back at the input's size, extract and score
 * cells, and publish every output at once (nothing is left behind on failure).
 */
export async function analyzeImage(request: AnalyzeRequest): Promise<AnalyzeResult> {
  const { options, engine, signal } = request;
  throwIfCancelled(signal);
  const timer = new StageTimer();
  const staging = await ResultStaging.create(request.outDir);
  let workDir = '';
  try {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'restain-'));
    trackTempDir(workDir);
    const image = await timer.time('decode', () =>
      openImage(request.inputPath, { workDir, maxPixels: options.maxPixels, page: options.page }),
    );
    throwIfCancelled(signal);
    const scale = await timer.time('scale', () =>
      resolveScale(options.scale, image.width, image.height, (region) => readRegion(image.path, region)),
    );
    const width = Math.max(1, Math.round(image.width * scale.factor));
    const height = Math.max(1, Math.round(image.height * scale.factor));
    let referencePath = image.path;
    if (scale.factor !== 1) {
      referencePath = path.join(workDir, 'reference.v');
      await timer.time('resize', () => resizeRasterFile(image.path, referencePath, width, height, 'lanczos3'));
    }
    throwIfCancelled(signal);
    const sample = await readRegion(referencePath, centralRegion(width, height, CONTEXT_SAMPLE_PX));
    const context = await timer.time('prepare', () => engine.prepare(sample));
    const { stains, background } = stainsFor(context, sample);

    const writers = {} as Record<ChannelName, RasterFileWriter>;
    for (const name of CHANNEL_NAMES) {
      writers[name] = RasterFileWriter.create(path.join(workDir, `${name}.v`), width, height, 3, channelBackground(name));
    }
    const tiles = await timer.time('engine', async () => {
      try {
        return await runTiles({
          engine,
          context,
          width,
          height,
          readTile: (tile) => readRegionMirrored(referencePath, tile.read, width, height),
          sink: { write: (name, x, y, raster) => writers[name].writeRegion(x, y, raster) },
          concurrency: request.concurrency,
          segThresh: options.postprocess.segThresh,
          onProgress: request.onProgress,
          signal,
        });
      } finally {
        for (const name of CHANNEL_NAMES) writers[name].close();
      }
    });

    // Channels at the input's size: the reference-scale files themselves when no resize was needed.
    const fullSize = await timer.time('resizeBack', async () => {
      const files = {} as Record<ChannelName, string>;
      const resizes = CHANNEL_NAMES.map((name) => async () => {
        files[name] = path.join(workDir, `${name}.v`);
        if (scale.factor === 1) return;
        const target = path.join(workDir, `${name}.full.v`);
        // Seg shrinks cell by cell (a nearest-neighbour resize would skip the one-pixel lines
        // between touching nuclei and merge them); it grows by nearest neighbour.
        if (name === 'Seg' && scale.factor > 1) await shrinkSegFile(files[name], target, image.width, image.height, options.postprocess.segThresh);
        else await resizeRasterFile(files[name], target, image.width, image.height, name === 'Seg' ? 'nearest' : 'lanczos3');
        files[name] = target;
      });
      await runLimited(resizes, encodeConcurrency(image.width * image.height));
      return files;
    });
    throwIfCancelled(signal);
    const dabPath = path.join(workDir, 'dab.v');
    await timer.time('dab', () => writeDabMap(image.path, image.width, image.height, { stains, background }, dabPath));
    const encode = () =>
      timer.time('encode', () =>
        runLimited(
          [
            ...CHANNEL_NAMES.map((name) => () => encodePng(fullSize[name], staging.file(channelFile(name)))),
            () => encodePng(image.path, staging.file(OUTPUT_FILES.input)),
            () => encodePng(dabPath, staging.file(OUTPUT_FILES.dab)),
          ],
          encodeConcurrency(image.width * image.height),
        ),
      );
    const maps = rasterFileMaps({ seg: fullSize.Seg, marker: fullSize.Marker, dab: dabPath, input: image.path });
    const postprocess = () => timer.time('postprocess', () => postprocessResult(maps, staging.dir, options.postprocess));
    // PNG encoding runs on libvips threads and post-processing on this one: overlap them, except
    // on large images where the two together would hold too much memory.
    let post: Awaited<ReturnType<typeof postprocess>>;
    if (encodeConcurrency(image.width * image.height) > 1) {
      // Both settle before any error is raised, so a failure never races the clean-up of staging.
      const [encoded, postprocessed] = await Promise.allSettled([encode(), postprocess()]);
      if (encoded.status === 'rejected') throw encoded.reason;
      if (postprocessed.status === 'rejected') throw postprocessed.reason;
      post = postprocessed.value;
    } else {
      await encode();
      post = await postprocess();
    }
    throwIfCancelled(signal);
    const manifest = {
      restain: { codeVersion: CODE_VERSION },
      engine: engine.info,
      input: {
        name: path.basename(request.inputPath),
        sha256: image.sha256,
        format: image.format,
        width: image.width,
        height: image.height,
        pages: image.pages,
        page: options.page,
        bytes: image.sourceBytes,
      },
      scale: {
        requested: describeScale(options.scale),
        pixelSizeMicrons: scale.pixelSizeMicrons,
        referenceScaleFactor: scale.factor,
        estimate: scale.estimate,
        referenceWidth: width,
        referenceHeight: height,
      },
      tiles,
      stains: { vectors: stains, background },
      parameters: { postprocess: options.postprocess, maxPixels: options.maxPixels },
      timingsMs: timer.toJSON(),
      createdAt: new Date().toISOString(),
    };
    await writeFile(staging.file(OUTPUT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    await staging.publish();
    return { outDir: request.outDir, scoring: post.scoring, manifest };
  } catch (error) {
    await staging.discard();
    throw error;
  } finally {
    if (workDir) {
      await rm(workDir, { recursive: true, force: true });
      untrackTempDir(workDir);
    }
  }
}
