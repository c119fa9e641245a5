type TypedArrayConstructor<T> = { new (length: number): T };

/**
 * A scratch buffer owned by one call site and reused across calls (and tiles) on this thread, so
 * a tile does not allocate, zero and garbage-collect a dozen full-size planes. Contents are
 * whatever the last call left: callers overwrite or clear what they read. Never return it, and
 * never hold it across a call that takes the same scratch.
 */
export function scratch<T extends { readonly length: number }>(ctor: TypedArrayConstructor<T>): (length: number) => T {
  let buffer = new ctor(0);
  return (length: number): T => {
    if (buffer.length !== length) buffer = new ctor(length);
    return buffer;
  };
}
