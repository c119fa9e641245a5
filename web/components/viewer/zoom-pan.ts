/** A view transform: screen = image * scale + (x, y). */
export interface ViewTransform {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;

/** The whole image centred in the viewport. */
export function fitTransform(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): ViewTransform {
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight) || 1;
  return { scale, x: (viewWidth - imageWidth * scale) / 2, y: (viewHeight - imageHeight * scale) / 2 };
}

/** Zoom by `factor` keeping the screen point (px, py) over the same image point. */
export function zoomAt(t: ViewTransform, factor: number, px: number, py: number): ViewTransform {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.scale * factor));
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

export function panBy(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...t, x: t.x + dx, y: t.y + dy };
}

/** The CSS transform of the layer stack (origin at its top-left corner). */
export function cssTransform(t: ViewTransform): string {
  return `translate3d(${t.x}px, ${t.y}px, 0) scale(${t.scale})`;
}
