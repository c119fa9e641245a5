'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PostprocessOptions } from '@restain/shared';
import type { Scoring } from '@restain/shared';
import { LatestWins } from '../../lib/rescoring/latest-wins';
import type { FileSource, RescoreReply, RescoreRequest } from '../../workers/worker-messages';
import { createRescoreWorker } from './create-workers';
import { viewerTimings } from './viewer-timings';

export interface LiveResult {
  readonly scoring: Scoring;
  readonly maxArea: number;
}

interface Pending {
  readonly options: PostprocessOptions;
  readonly inputAt: number;
  readonly slider: string;
}

/**
 * Runs the live re-scoring workers for one result: a live worker that owns the overlay canvas it
 * returns, and a prefetcher. `request` coalesces: while one re-score runs only the latest waits.
 */
export function useLiveRescore(source: FileSource | null) {
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveResult | null>(null);
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const scheduler = useRef<LatestWins<Pending> | null>(null);
  const key = source ? JSON.stringify(source) : '';

  useEffect(() => {
    if (!source) return;
    setStatus('loading');
    // A fresh canvas per worker: control of a canvas can be handed to a worker only once.
    const element = document.createElement('canvas');
    const offscreen = element.transferControlToOffscreen();
    const worker = createRescoreWorker();
    const prefetcher = createRescoreWorker();
    const channel = new MessageChannel();
    let seq = 0;
    const inFlight = new Map<number, Pending>();
    const coalescer = new LatestWins<Pending>((pending) => {
      seq += 1;
      inFlight.set(seq, pending);
      worker.postMessage({ type: 'rescore', seq, options: pending.options, inputAt: pending.inputAt } satisfies RescoreRequest);
    });
    scheduler.current = coalescer;
    worker.onmessage = (event: MessageEvent<RescoreReply>) => {
      const reply = event.data;
      if (reply.type === 'loaded') setStatus('ready');
      else if (reply.type === 'error') {
        setError(reply.message);
        if (reply.seq === undefined) setStatus('error');
        else coalescer.done();
      } else {
        const receivedAt = performance.timeOrigin + performance.now();
        const pending = inFlight.get(reply.seq);
        inFlight.delete(reply.seq);
        setLive({ scoring: reply.scoring, maxArea: reply.maxArea });
        setError(null);
        coalescer.done();
        // On screen once the next frame has been produced after the worker's commit.
        requestAnimationFrame(() => {
          const timings = viewerTimings();
          const now = performance.timeOrigin + performance.now();
          const { inputAt, startedAt, drawnAt, segCached, stages } = reply.timings;
          timings.dropped = coalescer.dropped;
          timings.rescore.push({
            slider: pending?.slider ?? 'initial',
            inputToDrawnMs: now - inputAt,
            workerMs: drawnAt - startedAt,
            segCached,
            stages: { queue: startedAt - inputAt, ...stages, transfer: receivedAt - drawnAt, frame: now - receivedAt },
          });
        });
      }
    };
    worker.postMessage({ type: 'load', role: 'live', source, canvas: offscreen, port: channel.port1 } satisfies RescoreRequest, [offscreen, channel.port1]);
    prefetcher.postMessage({ type: 'load', role: 'prefetch', source, port: channel.port2 } satisfies RescoreRequest, [channel.port2]);
    setCanvas(element);
    return () => {
      worker.terminate();
      prefetcher.terminate();
      scheduler.current = null;
      setCanvas(null);
    };
    // The source is compared by value (key): a new object with the same files is the same result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const request = useCallback((options: PostprocessOptions, slider: string, inputAt = performance.timeOrigin + performance.now()) => {
    scheduler.current?.submit({ options, slider, inputAt });
  }, []);

  return { status, error, live, canvas, request };
}
