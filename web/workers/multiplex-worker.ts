/// <reference lib="webworker" />
/**
 * Multiplex worker: holds the DAPI, Lap2 and Marker planes and re-composites them additively
 * through each channel's histogram window onto the canvas it owns, only when a window or a
 * toggle changes (zoom and pan transform the finished canvas).
 */
import { type ChannelName, CHANNELS, compositeAdditive } from '../components/viewer/multiplex/histogram-window';
import { greyFromInterleaved, histogram256 } from '../lib/rescoring/planes';
import { decodeImage } from './decode-image';
import type { MultiplexReply, MultiplexRequest } from './worker-messages';

declare const self: DedicatedWorkerGlobalScope;

const planes = new Map<ChannelName, Uint8Array>();
let context: OffscreenCanvasRenderingContext2D | null = null;
let image: ImageData | null = null;
let width = 0;
let height = 0;

const reply = (message: MultiplexReply): void => self.postMessage(message);

self.onmessage = async (event: MessageEvent<MultiplexRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'load') {
      const histograms = {} as Record<ChannelName, number[]>;
      for (const name of CHANNELS) {
        const url = request.source.urls[`${name}.png`];
        if (!url) throw new Error(`This result has no ${name}.png`);
        const decoded = await decodeImage(url, request.source.headers);
        if (planes.size > 0 && (decoded.width !== width || decoded.height !== height)) throw new Error('Channels differ in size');
        width = decoded.width;
        height = decoded.height;
        const grey = greyFromInterleaved(decoded.rgba, 4);
        planes.set(name, grey);
        histograms[name] = Array.from(histogram256(grey));
      }
      request.canvas.width = width;
      request.canvas.height = height;
      context = request.canvas.getContext('2d');
      image = new ImageData(width, height);
      reply({ type: 'loaded', width, height, histograms });
      return;
    }
    if (!context || !image) throw new Error('Not loaded');
    const started = performance.now();
    const layers = request.layers.map((layer) => ({ plane: planes.get(layer.name) as Uint8Array, window: layer.window, colour: layer.colour }));
    compositeAdditive(layers, new Uint32Array(image.data.buffer));
    context.putImageData(image, 0, 0);
    reply({ type: 'composited', seq: request.seq, ms: performance.now() - started });
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
