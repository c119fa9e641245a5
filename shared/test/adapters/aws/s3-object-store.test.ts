import { S3ObjectStore } from '../../../src/adapters/aws/s3-object-store';
import { describeObjectStoreContract } from '../../ports/object-store-contract';
import { emulatorS3Client } from '../../../../test-support/aws-emulators/aws-clients';
import { startConditionalWriteProxy } from '../../../../test-support/aws-emulators/conditional-write-proxy';
import { startS3rver } from '../../../../test-support/aws-emulators/start-emulators';

const BUCKET = 'restain-test';

// Every contract case runs against S3ObjectStore -> conditional-write shim -> s3rver on 127.0.0.1.
// s3rver has no conditional writes: the shim enforces If-None-Match / If-Match from the headers the
// SDK really sends (see test-support/aws-emulators/conditional-write-proxy.ts); all else is s3rver's.
describeObjectStoreContract('S3ObjectStore (s3rver + conditional-write shim)', async () => {
  const s3rver = await startS3rver([BUCKET]);
  const proxy = await startConditionalWriteProxy(s3rver.endpoint);
  const client = emulatorS3Client(proxy.endpoint);
  return {
    store: new S3ObjectStore(client, BUCKET),
    cleanup: async () => {
      client.destroy();
      await proxy.stop();
      await s3rver.stop();
    },
  };
});
