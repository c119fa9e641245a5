// Jest runs each test file in its own VM realm, so typed arrays created in tests are not
// `instanceof` the host realm's classes, and onnxruntime-node's tensor type check rejects them.
// Sharing the host realm's constructors fixes that (see DEVELOPERS.md).
const { TestEnvironment } = require('jest-environment-node');

class RealmSharingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array',
      'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer']) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = RealmSharingEnvironment;
