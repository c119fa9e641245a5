/// <reference lib="webworker" />
/**
 * Live re-scoring worker. Role 'live': holds the Seg, Marker and DAB planes, re-scores with the
 * shared post-processing and scoring code on every request and draws the outlines on the overlay
 * canvas it owns. Role 'prefetch': labels the seg thresholds around the current one ahead of
 * time and hands them to the live worker over a MessagePort.
 */
import { LiveRescorer } from '../lib/rescoring/live-rescorer';
import { OverlayPainter } from '../lib/rescoring/overlay-raster';
import { type ResultPlanes, greyFromInterleaved } from '../lib/rescoring/planes';
import { type LabelledSegmentation, labelSegmentation, prepareSegmentation } from '../lib/rescoring/segmentation-stage';
import { StageClock } from '../lib/rescoring/stage-clock';
import { decodeImage } from './decode-image';
import { type FileSource, type RescoreReply, type RescoreRequest, epochNow } from './worker-messages';

declare const self: DedicatedWorkerGlobalScope;

/** Thresholds each side of the current one that the prefetcher labels ahead. */
const PREFETCH_RADIUS = 6;

let rescorer: LiveRescorer | null = null;
let painter: OverlayPainter | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
let image: ImageData | null = null;
let port: MessagePort | null = null;

const reply = (message: RescoreReply): void => self.postMessage(message);

async function loadPlanes(source: FileSource): Promise<ResultPlanes> {
  const [seg, marker, dab] = await Promise.all(['Seg.png', 'Marker.png', 'DAB.png'].map((name) =>
    source.urls[name] ? decodeImage(source.urls[name], source.headers) : Promise.resolve(null)));
  if (!seg) throw new Error('This result has no Seg.png to re-score');
  for (const other of [marker, dab]) {
    if (other && (other.width !== seg.width || other.height !== seg.height)) throw new Error('Result maps differ in size');
  }
  return {
    width: seg.width, height: seg.height, seg: seg.rgba, segChannels: 4,
    marker: marker ? greyFromInterleaved(marker.rgba, 4) : null,
    dab: dab ? greyFromInterleaved(dab.rgba, 4) : null,
  };
}

/** Typed-array buffers of a labelled segmentation, moved (not copied) between workers. */
function buffersOf(labelled: LabelledSegmentation): ArrayBuffer[] {
  return Object.values(labelled)
    .filter((v): v is Float64Array | Int32Array => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer);
}

/** What the live worker tells the prefetcher: stand aside while it re-scores, then what to label next. */
type PrefetchCommand = { readonly type: 'pause' } | { readonly type: 'want'; readonly thresholds: number[] };

/**
 * Prefetcher: label the latest requested thresholds one at a time, yielding in between. It pauses
 * while the live worker re-scores (on two cores both would otherwise share the CPU and the move
 * the user is waiting for would take twice as long) and resumes when told what to label next.
 */
function servePrefetch(planes: ResultPlanes, channel: MessagePort): void {
  let queue: number[] = [];
  let busy = false;
  let paused = false;
  const next = (): void => {
    const t = paused ? undefined : queue.shift();
    if (t === undefined) {
      busy = false;
      return;
    }
    const labelled = labelSegmentation(planes, t);
    channel.postMessage(labelled, buffersOf(labelled));
    setTimeout(next, 0);
  };
  channel.onmessage = (event: MessageEvent<PrefetchCommand>) => {
    const command = event.data;
    paused = command.type === 'pause';
    if (command.type === 'want') queue = command.thresholds;
    if (!paused && !busy) {
      busy = true;
      setTimeout(next, 0);
    }
  };
}

function requestPrefetch(segThresh: number): void {
  if (!port || !rescorer) return;
  const wanted: number[] = [];
  const keys = new Set([rescorer.cache.keyOf(segThresh)]);
  for (let d = 1; d <= PREFETCH_RADIUS * 4 && wanted.length < PREFETCH_RADIUS * 2; d++) {
    for (const t of [segThresh + d, segThresh - d]) {
      if (t < 0 || t > 254) continue;
      const key = rescorer.cache.keyOf(t);
      if (keys.has(key) || rescorer.cache.has(t)) continue;
      keys.add(key);
      wanted.push(t);
    }
  }
  port.postMessage({ type: 'want', thresholds: wanted } satisfies PrefetchCommand);
}

function rescore(request: Extract<RescoreRequest, { type: 'rescore' }>): void {
  if (!rescorer || !painter || !context || !image) throw new Error('Not loaded');
  const startedAt = epochNow();
  port?.postMessage({ type: 'pause' } satisfies PrefetchCommand);
  const clock = new StageClock();
  const live = rescorer.rescore(request.options, clock);
  const [x0, y0, x1, y1] = painter.paint(live.labelled, live.selected);
  clock.lap('paint');
  if (x1 > x0 && y1 > y0) context.putImageData(image, 0, 0, x0, y0, x1 - x0, y1 - y0);
  clock.lap('put');
  let maxArea = 0;
  for (let c = 1; c <= live.labelled.count; c++) if (live.labelled.area[c] > maxArea) maxArea = live.labelled.area[c];
  const timings = { inputAt: request.inputAt, startedAt, drawnAt: epochNow(), segCached: live.cached, stages: clock.stages };
  reply({ type: 'scored', seq: request.seq, scoring: live.scoring, maxArea, timings });
  requestPrefetch(request.options.segThresh);
}

self.onmessage = async (event: MessageEvent<RescoreRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'load') {
      const planes = await loadPlanes(request.source);
      // What every seg threshold shares, made now rather than on the first slider move.
      prepareSegmentation(planes);
      if (request.role === 'prefetch') {
        if (request.port) servePrefetch(planes, request.port);
        return;
      }
      rescorer = new LiveRescorer(planes);
      painter = new OverlayPainter(planes.width, planes.height);
      image = new ImageData(new Uint8ClampedArray(painter.rgba.buffer as ArrayBuffer), planes.width, planes.height);
      if (request.canvas) {
        request.canvas.width = planes.width;
        request.canvas.height = planes.height;
        context = request.canvas.getContext('2d');
      }
      port = request.port ?? null;
      if (port) port.onmessage = (message: MessageEvent<LabelledSegmentation>) => rescorer?.adopt(message.data);
      reply({ type: 'loaded', width: planes.width, height: planes.height });
    } else rescore(request);
  } catch (error) {
    reply({ type: 'error', seq: request.type === 'rescore' ? request.seq : undefined, message: error instanceof Error ? error.message : String(error) });
  }
};
