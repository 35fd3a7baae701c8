import crypto from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  DeleteObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BlobMissing, BlobStoreUnavailable, type BlobStore } from './blob-store';

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW): S3_* in the README. */
export interface S3BlobSettings {
  bucket: string;
  /** For MinIO, Ceph RGW and other non-AWS servers; unset: AWS's endpoint for the region. */
  endpoint?: string;
  region: string;
  /** Unset: the SDK's default chain (environment, profile, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** bucket in the path (http://host/bucket/key) rather than the host name: MinIO and most self-hosted servers. */
  forcePathStyle: boolean;
  /** Prepended to every object's name, so one bucket can hold other data too. */
  prefix: string;
}

/** The same layout as the files under DATA_DIR/blobs: ab/cd/<sha256>. */
function objectName(prefix: string, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('invalid blob key');
  return `${prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
}

/** The object is not there (GetObject says NoSuchKey, HeadObject only a 404 without a body). */
function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)
  );
}

/**
 * Content-addressed objects in one bucket, shared by every API node. Anything but "no such key" — a refused
 * connection, a timeout, a 5xx, a denied access — is BlobStoreUnavailable: the client gets a 503 and may retry.
 */
export function s3BlobStore(settings: S3BlobSettings, client?: S3Client): BlobStore & { client: S3Client } {
  const s3 =
    client ??
    new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // A store that is down answers 503 within seconds rather than after the SDK's long default retries.
      maxAttempts: 2,
      // Checksums only where S3 requires them: MinIO, Ceph RGW and older servers do not all read the
      // streaming-trailer checksums newer SDKs add by default; the content hash is checked by the blob key.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const name = (key: string) => objectName(settings.prefix, key);
  return {
    client: s3,
    async put(data) {
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      try {
        // The same bytes are stored once: an object under its own hash is already right.
        const exists = await s3
          .send(new HeadObjectCommand({ Bucket: settings.bucket, Key: name(sha256) }))
          .then((head) => head.ContentLength === data.length)
          .catch((error: unknown) => {
            if (isNotFound(error)) return false;
            throw error;
          });
        if (!exists)
          await s3.send(
            new PutObjectCommand({
              Bucket: settings.bucket,
              Key: name(sha256),
              Body: data,
              ContentLength: data.length,
              ContentType: 'application/octet-stream',
            }),
          );
      } catch (error) {
        throw new BlobStoreUnavailable(sha256, error);
      }
      return { key: sha256, sha256, size: data.length };
    },
    async read(key) {
      const objectKey = name(key);
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: settings.bucket, Key: objectKey }));
        if (!object.Body) throw new Error('the store answered without a body');
        return Buffer.from(await object.Body.transformToByteArray());
      } catch (error) {
        if (isNotFound(error)) throw new BlobMissing(key);
        throw new BlobStoreUnavailable(key, error);
      }
    },
    async remove(key) {
      // DeleteObject of a key that is not there succeeds: removing is idempotent, as with files.
      await s3.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: name(key) }));
    },
  };
}
