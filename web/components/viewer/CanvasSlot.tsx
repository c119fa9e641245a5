'use client';
import { useEffect, useRef } from 'react';

/** Places a canvas made outside React (handed to a worker) into the tree. */
export function CanvasSlot(props: { canvas: HTMLCanvasElement | null; className: string; label: string; hidden?: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const { canvas, className, label, hidden } = props;
  useEffect(() => {
    const div = host.current;
    if (!div || !canvas) return;
    canvas.className = className;
    canvas.setAttribute('aria-label', label);
    canvas.setAttribute('role', 'img');
    div.appendChild(canvas);
    return () => {
      if (canvas.parentNode === div) div.removeChild(canvas);
    };
  }, [canvas, className, label]);
  return <div ref={host} className={className} hidden={hidden} />;
}
