/**
 * ObjectStore port: a flat key space of immutable-by-default blobs (S3's model). The local adapter
 * is a folder; the AWS adapter is S3. Keys are `/`-separated, never start with `/`, never contain
 * `..` segments, backslashes or control characters (`assertObjectKey`).
 */

/** What a body may be: bytes in memory, or a stream of chunks (a Node Readable is one). */
export type ObjectBody = Uint8Array | AsyncIterable<Uint8Array>;

export interface ObjectInfo {
  readonly key: string;
  readonly sizeBytes: number;
  /** Opaque version tag (S3 ETag): changes on every write, used for compare-and-swap. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType?: string;
}

export interface PutOptions {
  /** `'*'`: create only; fails with PRECONDITION_FAILED when the key exists (S3 If-None-Match). */
  readonly ifNoneMatch?: '*';
  /** Replace only while the object still has this etag; otherwise PRECONDITION_FAILED (S3 If-Match). */
  readonly ifMatch?: string;
  readonly contentType?: string;
}

export interface PresignOptions {
  readonly expiresInSeconds: number;
  /** For uploads: the body must have this content type. */
  readonly contentType?: string;
  /** For downloads: `Content-Disposition: attachment; filename=...`. */
  readonly downloadFilename?: string;
}

export interface ListPage {
  readonly objects: readonly ObjectInfo[];
  /** Pass back as `startAfter` for the next page; absent on the last page. */
  readonly nextStartAfter?: string;
}

export interface ObjectStore {
  /** Write a whole object atomically: readers see the old object or the new one, never part. */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;
  /** The object's bytes as a stream, or undefined when absent. */
  get(key: string): Promise<{ readonly info: ObjectInfo; readonly body: AsyncIterable<Uint8Array> } | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Keys under a prefix in lexicographic order, one page at a time (S3 ListObjectsV2). */
  list(prefix: string, options?: { readonly startAfter?: string; readonly limit?: number }): Promise<ListPage>;
  /** Removes one object; absent keys are not an error (S3 semantics). */
  delete(key: string): Promise<void>;
  /** A URL a client may PUT the object's bytes to until it expires (S3 presigned PUT). */
  presignPut(key: string, options: PresignOptions): Promise<string>;
  /** A URL a client may GET the object from until it expires (S3 presigned GET). */
  presignGet(key: string, options: PresignOptions): Promise<string>;
}
