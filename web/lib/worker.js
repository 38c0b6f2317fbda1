// The training worker (STYLE.md example 11): a browser module Worker or a Node worker_thread.
// Protocol: in {id, type, payload}; out {id, progress} (any number), then {id, result} or {id, error}
// where error = {code, message, where}. The Uint8Array model bytes are transferred, not copied.
// Cancel is the caller's worker.terminate(): a running WebAssembly call cannot be interrupted otherwise.
// A result also says how large this worker's WebAssembly heap has grown (`heap`, bytes), so that the
// caller does not keep a worker that holds a lot of memory.
import { toWire } from "./errors.js";
import { heapBytes, isNode, runTask } from "./runtime.js";

let post;

async function handle(data) {
  const { id, type, payload } = data ?? {};
  try {
    const result = await runTask(type, payload, (progress) => post({ id, progress }));
    const transfer = result?.model?.buffer ? [result.model.buffer] : [];
    post({ id, result, heap: await heapBytes() }, transfer);
  } catch (e) {
    post({ id, error: toWire(e) });
  }
}

if (typeof WorkerGlobalScope !== "undefined" && typeof self === "object") {
  // browser Worker: register synchronously so that no early message is lost
  post = (msg, transfer = []) => self.postMessage(msg, transfer);
  self.onmessage = (e) => handle(e.data);
} else if (isNode) {
  const { parentPort } = await import("node:worker_threads");
  if (parentPort) {
    post = (msg, transfer = []) => parentPort.postMessage(msg, transfer);
    parentPort.on("message", (data) => handle(data)); // a MessagePort queues messages until this listener exists
  }
}
