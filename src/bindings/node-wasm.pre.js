// Inside the factory (TOOLCHAIN.md pitfall 4): Node >= 18 has a global fetch() that 3.1.6 calls with a
// file path. Read the .wasm next to this file instead, unless the caller passed the bytes already.
if (typeof process == 'object' && typeof process.versions == 'object' && typeof process.versions.node == 'string'
    && !Module['wasmBinary'] && !Module['instantiateWasm']) {
  Module['wasmBinary'] = require('node:fs').readFileSync(__filename.replace(/\.m?js$/, '.wasm'));
}
