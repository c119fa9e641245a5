'use strict';
// Child process running s3rver (S3 protocol, files under a temp folder) on 127.0.0.1, any free port.
// Started by start-emulators.ts as `node --openssl-legacy-provider s3rver-child.js <dir> <bucket>...`:
// s3rver's ListObjectsV2 continuation tokens use DES, which Node 20 only offers with that flag.
// Tells the parent its port over IPC, forwards the S3 event records s3rver emits (it has no bucket
// notifications of its own), and exits when the parent goes away.
const S3rver = require('s3rver');

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.on('event', (event) => process.send?.({ type: 's3-event', event }));
server.run().then(
  ({ port }) => process.send?.({ type: 'ready', port }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
