'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LatestWins } from '../../lib/rescoring/latest-wins';
import type { FileSource, MultiplexReply, MultiplexRequest } from '../../workers/worker-messages';
import { createMultiplexWorker } from './create-workers';
import type { ChannelName, ChannelWindow } from './multiplex/histogram-window';
import { viewerTimings } from './viewer-timings';

export type Layers = Extract<MultiplexRequest, { type: 'composite' }>['layers'];

/**
 * The multiplex worker for one result: decodes DAPI, Lap2 and Marker once (and their
 * histograms), re-composites on demand onto the canvas it returns, latest request wins.
 * Starts only when `enabled` (the multiplex view was opened), so the IHC view loads no more.
 */
export function useMultiplex(source: FileSource | null, enabled: boolean) {
  const [histograms, setHistograms] = useState<Record<ChannelName, number[]> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const submitRef = useRef<((layers: Layers) => void) | null>(null);
  const key = source && enabled ? JSON.stringify(source) : '';

  useEffect(() => {
    if (!source || !enabled) return;
    const element = document.createElement('canvas');
    const offscreen = element.transferControlToOffscreen();
    const worker = createMultiplexWorker();
    let seq = 0;
    let loaded = false;
    let waiting: Layers | null = null;
    const coalescer = new LatestWins<Layers>((layers) => {
      seq += 1;
      worker.postMessage({ type: 'composite', seq, layers } satisfies MultiplexRequest);
    });
    // Requests before the planes are decoded wait; only the latest is kept.
    submitRef.current = (layers) => {
      if (loaded) coalescer.submit(layers);
      else waiting = layers;
    };
    worker.onmessage = (event: MessageEvent<MultiplexReply>) => {
      const reply = event.data;
      if (reply.type === 'loaded') {
        loaded = true;
        setHistograms(reply.histograms);
        if (waiting) coalescer.submit(waiting);
      } else if (reply.type === 'composited') {
        viewerTimings().composite.push(reply.ms);
        coalescer.done();
      } else {
        setError(reply.message);
        coalescer.done();
      }
    };
    worker.postMessage({ type: 'load', source, canvas: offscreen } satisfies MultiplexRequest, [offscreen]);
    setCanvas(element);
    return () => {
      worker.terminate();
      submitRef.current = null;
      setCanvas(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const composite = useCallback((layers: Layers) => submitRef.current?.(layers), []);
  return { histograms, error, canvas, composite };
}

export type { ChannelWindow };
