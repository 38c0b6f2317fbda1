// Placed at module top level, outside the factory (TOOLCHAIN.md): Emscripten 3.1.6's ES6 output still
// uses require/__filename/__dirname under Node, which ES modules do not define.
var require, __filename, __dirname;
if (typeof process == 'object' && typeof process.versions == 'object' && typeof process.versions.node == 'string') {
  require = (await import('node:module')).createRequire(import.meta.url);
  __filename = require('node:url').fileURLToPath(import.meta.url);
  __dirname = require('node:path').dirname(__filename);
}
