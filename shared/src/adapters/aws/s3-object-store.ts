import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { RestainError } from '../../errors';
import { assertObjectKey } from '../../ports/object-key';
import type { ListPage, ObjectBody, ObjectInfo, ObjectStore, PresignOptions, PutOptions } from '../../ports/object-store';
import { awsErrorOf, fromAwsError } from './aws-errors';
import { assertKeyPrefix, assertListLimit, attachmentDisposition, countBytes, presignExpiry, withoutChecksumHeaders } from './s3-request-parts';

export interface S3ObjectStoreOptions {
  /** Prepended to every key in the bucket (e.g. `restain/`); keys given and returned exclude it. */
  readonly keyPrefix?: string;
  /** Part size of multipart uploads, and the body size above which they are used (default 8 MiB; S3's minimum is 5 MiB). */
  readonly partSizeBytes?: number;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
/** Parts of one multipart upload sent at once. */
const PART_CONCURRENCY = 4;

/**
 * ObjectStore on one S3 bucket. Writes are whole-object (S3 never shows a partial object):
 * PutObject for in-memory bodies up to one part, a multipart upload (lib-storage) for streamed
 * or larger ones, which is aborted if the body fails. Create-only and compare-and-swap writes
 * send `If-None-Match: *` / `If-Match: <etag>` (on CompleteMultipartUpload for multipart), so S3
 * itself decides the race; its 412, 409 ConditionalRequestConflict and (If-Match on an absent
 * key) 404 become PRECONDITION_FAILED. ETags are kept as S3 sends them (quoted). The
 * lastModified of a put is this machine's clock at completion (S3 returns no time on writes);
 * head, get and list report S3's.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly keyPrefix: string;
  private readonly partSizeBytes: number;

  constructor(client: S3Client, bucket: string, options: S3ObjectStoreOptions = {}) {
    if (!bucket) throw new RestainError('INVALID_ARGUMENT', 'Expected an S3 bucket name but received none');
    const keyPrefix = options.keyPrefix ?? '';
    if (keyPrefix !== '') assertKeyPrefix(keyPrefix);
    const partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_BYTES;
    if (!Number.isInteger(partSizeBytes) || partSizeBytes < MIN_PART_BYTES) {
      throw new RestainError('INVALID_ARGUMENT', `Expected partSizeBytes of at least ${MIN_PART_BYTES} (S3's minimum part) but received ${partSizeBytes}`);
    }
    this.client = client;
    this.bucket = bucket;
    this.keyPrefix = keyPrefix;
    this.partSizeBytes = partSizeBytes;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const s3Key = this.s3Key(key);
    if (options.ifNoneMatch !== undefined && options.ifMatch !== undefined) {
      throw new RestainError('INVALID_ARGUMENT', `Expected at most one of ifNoneMatch and ifMatch for ${key} but received both`);
    }
    const params: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: s3Key,
      ContentType: options.contentType,
      IfNoneMatch: options.ifNoneMatch,
      IfMatch: options.ifMatch,
    };
    let etag: string | undefined;
    let sizeBytes: number;
    try {
      if (body instanceof Uint8Array && body.byteLength <= this.partSizeBytes) {
        sizeBytes = body.byteLength;
        etag = (await this.client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.byteLength }))).ETag;
      } else {
        const counted = body instanceof Uint8Array ? undefined : countBytes(body);
        const upload = new Upload({
          client: this.client,
          params: { ...params, Body: counted ? Readable.from(counted.body, { objectMode: false }) : (body as Uint8Array) },
          partSize: this.partSizeBytes,
          queueSize: PART_CONCURRENCY,
          leavePartsOnError: false,
        });
        etag = (await upload.done()).ETag;
        sizeBytes = counted ? counted.bytes() : (body as Uint8Array).byteLength;
      }
    } catch (error) {
      // A lost condition: 412, 409 ConditionalRequestConflict (a racing conditional write), or 404 NoSuchKey for If-Match on an absent key.
      const aws = awsErrorOf(error);
      const conditional = options.ifNoneMatch !== undefined || options.ifMatch !== undefined;
      if (conditional && aws && (aws.status === 412 || aws.code === 'PreconditionFailed' || aws.code === 'ConditionalRequestConflict' || aws.code === 'NoSuchKey')) {
        const expected = options.ifNoneMatch ? `${key} not to exist (create-only write)` : `${key} at etag ${options.ifMatch}`;
        throw new RestainError('PRECONDITION_FAILED', `Expected ${expected} but S3 answered ${aws.code} (HTTP ${aws.status})`, { cause: error });
      }
      throw fromAwsError(error, 'S3', `store ${key}`);
    }
    if (!etag) throw new RestainError('INTERNAL', `Expected S3 to return an ETag for ${key} but it returned none`);
    return { key, sizeBytes, etag, lastModified: new Date(), ...(options.contentType ? { contentType: options.contentType } : {}) };
  }

  async get(key: string): Promise<{ readonly info: ObjectInfo; readonly body: AsyncIterable<Uint8Array> } | undefined> {
    const s3Key = this.s3Key(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: s3Key }));
      const info = toInfo(key, answer.ContentLength, answer.ETag, answer.LastModified, answer.ContentType);
      // In Node the SDK's body is the HTTP response (an IncomingMessage): a stream of Buffers.
      return { info, body: answer.Body as unknown as AsyncIterable<Uint8Array> };
    } catch (error) {
      if (awsErrorOf(error)?.code === 'NoSuchKey') return undefined;
      throw fromAwsError(error, 'S3', `read ${key}`);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const s3Key = this.s3Key(key);
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: s3Key }));
      return toInfo(key, answer.ContentLength, answer.ETag, answer.LastModified, answer.ContentType);
    } catch (error) {
      const aws = awsErrorOf(error);
      if (aws?.code === 'NotFound' || aws?.code === 'NoSuchKey') return undefined;
      throw fromAwsError(error, 'S3', `describe ${key}`);
    }
  }

  async list(prefix: string, options: { readonly startAfter?: string; readonly limit?: number } = {}): Promise<ListPage> {
    if (prefix !== '') assertKeyPrefix(prefix);
    const limit = options.limit ?? 1000;
    assertListLimit(limit);
    try {
      const answer = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix + prefix,
          StartAfter: options.startAfter === undefined ? undefined : this.keyPrefix + options.startAfter,
          MaxKeys: limit,
        }),
      );
      const objects = (answer.Contents ?? []).map((item) =>
        toInfo((item.Key ?? '').slice(this.keyPrefix.length), item.Size, item.ETag, item.LastModified, undefined),
      );
      return answer.IsTruncated && objects.length > 0 ? { objects, nextStartAfter: objects[objects.length - 1].key } : { objects };
    } catch (error) {
      throw fromAwsError(error, 'S3', `list keys under ${JSON.stringify(prefix)}`);
    }
  }

  async delete(key: string): Promise<void> {
    const s3Key = this.s3Key(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: s3Key }));
    } catch (error) {
      if (awsErrorOf(error)?.code === 'NoSuchKey') return;
      throw fromAwsError(error, 'S3', `delete ${key}`);
    }
  }

  /** A presigned PUT; with `contentType`, the upload must send exactly that Content-Type (it is signed). */
  async presignPut(key: string, options: PresignOptions): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key), ContentType: options.contentType });
    return this.presign(command, key, options);
  }

  /** A presigned GET; with `downloadFilename`, S3 answers with `Content-Disposition: attachment`. */
  async presignGet(key: string, options: PresignOptions): Promise<string> {
    const disposition = options.downloadFilename === undefined ? undefined : attachmentDisposition(options.downloadFilename);
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key), ResponseContentDisposition: disposition });
    return this.presign(command, key, options);
  }

  private async presign(command: PutObjectCommand | GetObjectCommand, key: string, options: PresignOptions): Promise<string> {
    const expiresIn = presignExpiry(options.expiresInSeconds);
    withoutChecksumHeaders(command);
    try {
      // Content-Type is signed (the presigner leaves it out by default), so an upload must send exactly it.
      return await getSignedUrl(this.client, command, { expiresIn, ...(options.contentType !== undefined ? { signableHeaders: new Set(['content-type']) } : {}) });
    } catch (error) {
      throw fromAwsError(error, 'S3', `presign ${key}`);
    }
  }

  private s3Key(key: string): string {
    assertObjectKey(key);
    return this.keyPrefix + key;
  }
}

function toInfo(key: string, size: number | undefined, etag: string | undefined, lastModified: Date | undefined, contentType: string | undefined): ObjectInfo {
  return { key, sizeBytes: size ?? 0, etag: etag ?? '', lastModified: lastModified ?? new Date(0), ...(contentType ? { contentType } : {}) };
}
