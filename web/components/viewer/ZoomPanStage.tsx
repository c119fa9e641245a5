'use client';
import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import styles from './viewer.module.css';
import { viewerTimings } from './viewer-timings';
import { type ViewTransform, cssTransform, fitTransform, panBy, zoomAt } from './zoom-pan';

const KEY_PAN = 80;

/**
 * Zoom (wheel, pinch, buttons, + / -) and pan (drag, arrow keys) over full-size layers: only a
 * CSS transform of the pre-rendered layers changes, applied once per animation frame.
 */
export function ZoomPanStage(props: { width: number; height: number; label: string; children: ReactNode }) {
  const { width, height, label, children } = props;
  const view = useRef<HTMLDivElement>(null);
  const layers = useRef<HTMLDivElement>(null);
  const transform = useRef<ViewTransform>({ scale: 1, x: 0, y: 0 });
  const frame = useRef(0);
  const lastFrameAt = useRef(0);
  const pointers = useRef(new Map<number, { x: number; y: number }>());

  const schedule = useCallback((next: ViewTransform) => {
    transform.current = next;
    if (frame.current) return;
    frame.current = requestAnimationFrame((now) => {
      frame.current = 0;
      if (layers.current) {
        layers.current.style.transform = cssTransform(transform.current);
        layers.current.dataset.scale = transform.current.scale >= 2 ? 'zoomed' : 'fit';
      }
      // Frame intervals while the view keeps moving (gaps over 100 ms are pauses, not frames).
      if (now - lastFrameAt.current < 100) viewerTimings().frames.push(now - lastFrameAt.current);
      lastFrameAt.current = now;
    });
  }, []);

  const fit = useCallback(() => {
    const box = view.current?.getBoundingClientRect();
    if (box && width > 0) schedule(fitTransform(width, height, box.width, box.height));
  }, [width, height, schedule]);

  useEffect(() => {
    fit();
    const element = view.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      schedule(zoomAt(transform.current, Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top));
    };
    // Not passive: the wheel zooms the image instead of scrolling the page.
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [fit, schedule]);

  const zoomCentre = (factor: number) => {
    const box = view.current?.getBoundingClientRect();
    if (box) schedule(zoomAt(transform.current, factor, box.width / 2, box.height / 2));
  };

  const onPointerDown = (event: React.PointerEvent) => {
    view.current?.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
  };
  const onPointerMove = (event: React.PointerEvent) => {
    const map = pointers.current;
    const previous = map.get(event.pointerId);
    if (!previous) return;
    const box = view.current?.getBoundingClientRect();
    if (map.size === 2 && box) {
      // Pinch: scale by the change in finger distance around their midpoint.
      const other = [...map.entries()].find(([id]) => id !== event.pointerId)?.[1] as { x: number; y: number };
      const before = Math.hypot(previous.x - other.x, previous.y - other.y);
      const after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
      if (before > 0) schedule(zoomAt(transform.current, after / before, (event.clientX + other.x) / 2 - box.left, (event.clientY + other.y) / 2 - box.top));
    } else schedule(panBy(transform.current, event.clientX - previous.x, event.clientY - previous.y));
    map.set(event.pointerId, { x: event.clientX, y: event.clientY });
  };
  const onPointerUp = (event: React.PointerEvent) => pointers.current.delete(event.pointerId);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const moves: Record<string, [number, number]> = { ArrowLeft: [KEY_PAN, 0], ArrowRight: [-KEY_PAN, 0], ArrowUp: [0, KEY_PAN], ArrowDown: [0, -KEY_PAN] };
    if (moves[event.key]) schedule(panBy(transform.current, ...moves[event.key]));
    else if (event.key === '+' || event.key === '=') zoomCentre(1.25);
    else if (event.key === '-') zoomCentre(0.8);
    else if (event.key === '0') fit();
    else return;
    event.preventDefault();
  };

  return (
    <div className={styles.stage}>
      <div className={styles.zoomButtons} role="group" aria-label="Zoom">
        <button type="button" className="button-quiet" onClick={() => zoomCentre(1.5)} aria-label="Zoom in">+</button>
        <button type="button" className="button-quiet" onClick={() => zoomCentre(1 / 1.5)} aria-label="Zoom out">−</button>
        <button type="button" className="button-quiet" onClick={fit}>Fit</button>
      </div>
      <div
        ref={view}
        className={styles.viewport}
        tabIndex={0}
        role="region"
        aria-label={`${label}: drag or arrow keys to pan, wheel, pinch or + and - to zoom, 0 to fit`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
        data-testid="viewer-viewport"
      >
        <div ref={layers} className={styles.layers} style={{ width, height }}>
          {children}
        </div>
      </div>
    </div>
  );
}
