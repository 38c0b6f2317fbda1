// titleforest: the embeddable ES module API (DESIGN.md section 3). Works on a browser main thread, in a
// Web Worker and in Node >= 18.
//
//   const clf = await Classifier.load(source);     // URL, ArrayBuffer/Uint8Array, or parsed model object
//   clf.labels; clf.predict("VP of Engineering");  // {label, probabilities: {label: p, ...}}
//   const { classifier, report } = await trainClassifier({ csv, text: ["positions"], label: "label",
//                                                          params, onProgress, signal });
//   clf.toJSON(); clf.toBytes(); clf.dispose();
//
// A Classifier holds WebAssembly memory: call dispose() when done with it (sql.js's rule for databases).
import { ClassifierError, ERROR_CODES, fromWire, unwrap } from "./errors.js";
import { coreOptions, csvInput, inHeap, isNode, loadModule, runTask } from "./runtime.js";

export { ClassifierError, ERROR_CODES, loadModule };

const WORKER_URL = new URL("./worker.js", import.meta.url);
const PRIVATE = Symbol("Classifier.private");

/** Version string of the WebAssembly core. */
export async function version() {
  return (await loadModule())._version();
}

async function readSource(source) {
  if (source instanceof Uint8Array) return { bytes: source, name: "model" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: "model" };
  if (ArrayBuffer.isView(source)) {
    return { bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), name: "model" };
  }
  if (typeof Blob !== "undefined" && source instanceof Blob) {
    return { bytes: new Uint8Array(await source.arrayBuffer()), name: source.name || "model" };
  }
  if (typeof source === "string" || source instanceof URL) {
    const base = typeof location === "object" && location?.href ? location.href : undefined;
    let url;
    try {
      url = base ? new URL(String(source), base) : new URL(String(source));
    } catch {
      url = null; // a plain file path in Node
    }
    const name = String(source);
    if (isNode && (!url || url.protocol === "file:")) {
      const { readFile } = await import("node:fs/promises");
      try {
        return { bytes: new Uint8Array(await readFile(url ?? name)), name };
      } catch (e) {
        throw new ClassifierError("bad_input", `The model file ${name} could not be read: ${e.message}`, { where: name });
      }
    }
    if (!url) throw new ClassifierError("invalid_parameter", `"${name}" is not a valid model URL.`, { where: "source" });
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new ClassifierError("bad_input", `The model at ${url} could not be fetched: ${e.message}`, { where: name });
    }
    if (!response.ok) {
      throw new ClassifierError("bad_input", `The model at ${url} could not be fetched: HTTP ${response.status}.`, {
        where: name,
      });
    }
    return { bytes: new Uint8Array(await response.arrayBuffer()), name };
  }
  if (source && typeof source === "object") {
    return { bytes: new TextEncoder().encode(JSON.stringify(source)), name: "model object" };
  }
  throw new ClassifierError(
    "invalid_parameter",
    "Classifier.load() takes a URL, an ArrayBuffer or Uint8Array, or a parsed model object.",
    { where: "source" },
  );
}

// A safety net for classifiers that are dropped without dispose(): their WebAssembly memory is freed
// when they are garbage-collected (whenever that happens; dispose() is still the way to free it now).
const finalizer =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry(({ M, handle }) => M._dispose(handle)) : null;

export class Classifier {
  #M;
  #handle;
  #info;

  /** Use Classifier.load(). */
  constructor(token, M, loaded) {
    if (token !== PRIVATE) throw new TypeError("Use Classifier.load() to create a Classifier.");
    this.#M = M;
    this.#handle = loaded.handle;
    this.#info = loaded.info;
    Object.freeze(this.#info.labels);
    if (!("top_terms" in this.#info)) {
      // computed on first read: a pass over every node of every tree, which training need not wait for
      let top = null;
      Object.defineProperty(this.#info, "top_terms", {
        enumerable: true,
        get: () => (top ??= unwrap(M._info(this.#live())).top_terms),
      });
    }
    finalizer?.register(this, { M, handle: loaded.handle }, this);
  }

  /** Loads a model: a URL (or file path in Node), an ArrayBuffer/Uint8Array (JSON or binary), or a parsed object. */
  static async load(source) {
    const M = await loadModule();
    const { bytes, name } = await readSource(source);
    return new Classifier(PRIVATE, M, unwrap(inHeap(M, [bytes], ([at], [n]) => M._load(at, n, name))));
  }

  #live() {
    if (this.#handle === null) throw new ClassifierError("not_fitted", "This classifier was disposed.", { where: "dispose" });
    return this.#handle;
  }

  /** The class labels, in the order of every probability vector. */
  get labels() {
    return this.#info.labels;
  }

  /** {labels, n_features, n_trees, n_train_rows, params, top_terms} (top_terms computed when first read). */
  get info() {
    return this.#info;
  }

  /** The parameters the model was trained with, nested by stage. */
  get params() {
    return this.#info.params;
  }

  /**
   * @param {string | string[]} texts
   * @returns one {label, probabilities: {label: p}} for a string, an array of them for an array
   */
  predict(texts) {
    const single = typeof texts === "string";
    const list = single ? [texts] : texts;
    if (!Array.isArray(list) || list.some((t) => typeof t !== "string")) {
      throw new ClassifierError("invalid_parameter", "predict() takes a string or an array of strings.", {
        where: "texts",
      });
    }
    const r = unwrap(this.#M._predict(this.#live(), list));
    const labels = this.#info.labels;
    const k = labels.length;
    const out = r.labels.map((label, i) => {
      const probabilities = {};
      for (let c = 0; c < k; ++c) probabilities[labels[c]] = r.probabilities[i * k + c];
      return { label, probabilities };
    });
    return single ? out[0] : out;
  }

  /** The model as a plain object (the JSON model file's content); JSON.stringify(clf) writes it. */
  toJSON() {
    return unwrap(this.#M._model_json(this.#live()));
  }

  /** The model file's bytes: "binary" (CBOR, compact; the default) or "json" (UTF-8 text). */
  toBytes(encoding = "binary") {
    return unwrap(this.#M._save(this.#live(), encoding));
  }

  /** Frees the WebAssembly memory; the classifier cannot be used afterwards. Safe to call twice. */
  dispose() {
    if (this.#handle !== null) {
      finalizer?.unregister(this);
      this.#M._dispose(this.#handle);
      this.#handle = null;
    }
  }

  get disposed() {
    return this.#handle === null;
  }
}

/** Reads the header and first rows of a CSV/TSV: {columns, n_rows, preview, delimiter, blank_rows, invalid_utf8}. */
export async function readTable(csv, { headerRow = 1, delimiter, source, previewRows = 5 } = {}) {
  const payload = { csv: csvInput(csv), header_row: headerRow, source: source ?? "input", preview_rows: previewRows };
  if (delimiter !== undefined && delimiter !== null) payload.delimiter = delimiter;
  return runTask("read_table", payload);
}

function cancelledError() {
  return new ClassifierError("cancelled", "Training was cancelled.", { where: "signal" });
}

// Workers: terminate() is the only sure way to stop WebAssembly that is running, so a cancelled or failed
// task's worker is ended. A worker whose task succeeded is kept (up to MAX_IDLE of them) for the next
// task: its module is compiled and its hot code already optimized, which makes the next training much
// faster than in a fresh worker. Idle Node workers are unref()'d so that they never keep a process alive.
const MAX_IDLE = 4;
const MAX_IDLE_HEAP = 256 * 1024 * 1024; // a worker whose heap grew past this is ended, not kept
const idleWorkers = [];

async function spawnWorker() {
  const handlers = { message: () => {}, error: () => {} };
  if (typeof Worker === "function" && !isNode) {
    const w = new Worker(WORKER_URL, { type: "module", name: "titleforest" });
    w.onmessage = (e) => handlers.message(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      handlers.error(new ClassifierError("internal", `The training worker failed: ${e.message || "unknown error"}.`));
    };
    w.onmessageerror = () => handlers.error(new ClassifierError("internal", "A worker message could not be read."));
    return { handlers, post: (m) => w.postMessage(m), terminate: () => w.terminate(), ref() {}, unref() {} };
  }
  if (isNode) {
    const { Worker: NodeWorker } = await import("node:worker_threads");
    const w = new NodeWorker(WORKER_URL);
    const wrapper = { handlers, post: (m) => w.postMessage(m), terminate: () => w.terminate(), ref: () => w.ref(), unref: () => w.unref() };
    w.on("message", (m) => handlers.message(m));
    w.on("error", (e) => handlers.error(new ClassifierError("internal", `The training worker failed: ${e.message}.`, { cause: e })));
    w.on("exit", (code) => {
      const i = idleWorkers.indexOf(wrapper);
      if (i >= 0) idleWorkers.splice(i, 1);
      handlers.error(new ClassifierError("internal", `The training worker exited (code ${code}).`));
    });
    return wrapper;
  }
  return null;
}

async function acquireWorker() {
  const w = idleWorkers.pop();
  if (w) {
    w.ref();
    return w;
  }
  return spawnWorker();
}

function releaseWorker(w, heap = 0) {
  w.handlers.message = () => {};
  w.handlers.error = () => {};
  if (idleWorkers.length < MAX_IDLE && heap <= MAX_IDLE_HEAP) {
    w.unref();
    idleWorkers.push(w);
  } else {
    w.terminate();
  }
}

/** Ends the idle training workers kept for reuse (they end by themselves with the page or process). */
export function terminateWorkers() {
  for (const w of idleWorkers.splice(0)) w.terminate();
}

let nextId = 1;

// A worker taken from the pool for one task or several (a parallel training's prepare and grow calls):
// run() posts a task and resolves with its result; end() gives the worker back, kill() terminates it
// (after a failure or a cancel, since running WebAssembly cannot be interrupted otherwise).
async function leaseWorker() {
  const worker = await acquireWorker();
  if (!worker) return null;
  let heap = 0;
  let over = false;
  let crashed = null; // an error between tasks: the next run() fails with it
  const idle = () => {
    worker.handlers.message = () => {};
    worker.handlers.error = (err) => (crashed ??= err);
  };
  idle();
  const lease = {
    run(type, payload, { onProgress, signal } = {}) {
      return new Promise((resolve, reject) => {
        if (over || crashed) return reject(crashed ?? new ClassifierError("internal", "The training worker has ended."));
        const id = nextId++;
        let settled = false;
        const finish = (ok, value) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener("abort", onAbort);
          idle();
          if (ok) {
            resolve(value);
          } else {
            lease.kill();
            reject(value);
          }
        };
        const onAbort = () => finish(false, cancelledError());
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        worker.handlers.message = (msg) => {
          if (!msg || msg.id !== id || settled) return;
          if (msg.progress) {
            try {
              onProgress?.(msg.progress);
            } catch (e) {
              console.error(e);
            }
          } else if (msg.error) {
            finish(false, fromWire(msg.error));
          } else {
            heap = msg.heap ?? heap;
            finish(true, msg.result);
          }
        };
        worker.handlers.error = (err) => finish(false, err);
        worker.post({ id, type, payload });
      });
    },
    end() {
      if (over) return;
      over = true;
      if (crashed) worker.terminate();
      else releaseWorker(worker, heap);
    },
    kill() {
      if (over) return;
      over = true;
      worker.handlers.error = () => {};
      worker.terminate();
    },
  };
  return lease;
}

async function runInWorker(type, payload, options) {
  if (options.signal?.aborted) throw cancelledError();
  const lease = await leaseWorker();
  if (!lease) return null;
  const result = await lease.run(type, payload, options); // a failure has killed the worker
  lease.end();
  return result;
}

// Grows the forest's trees in `n` workers; null when no worker can be started (run it in one instead).
// Every worker prepares the same data once; then each free worker takes the next chunk of trees, chunks
// shrinking towards the end (a guided schedule), so that the workers finish together even when one of
// them runs slower. The chunks are merged in tree order: the model is the one a single worker grows.
async function trainParallel(payload, n, { onProgress, signal }) {
  const M = await loadModule();
  const params = unwrap(M._resolve_params(JSON.stringify(payload.options.params ?? {})));
  if (params.forest.random_state === null || params.forest.random_state === undefined) {
    // None: draw the seed here, once, so that every worker grows its part of the same forest
    params.forest.random_state = Math.floor(Math.random() * 2 ** 32);
  }
  const total = params.forest.n_estimators;
  if (signal?.aborted) throw cancelledError();
  const leases = await Promise.all(Array.from({ length: Math.min(n, total) }, () => leaseWorker()));
  if (leases.some((l) => l === null)) {
    for (const l of leases) l?.end();
    return null;
  }
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort();
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const options = { ...payload.options, params };
  const PREPARE = 0.1; // share of the progress bar for preparing the data
  const prepared = leases.map(() => 0);
  let grown = 0;
  const growing = leases.map(() => 0); // trees of the running chunk done, per worker
  const report = (p, k) => {
    const overall = PREPARE * (prepared.reduce((a, b) => a + b, 0) / leases.length) +
      (1 - PREPARE) * ((grown + growing.reduce((a, b) => a + b, 0)) / total);
    onProgress?.({ ...p, fraction: overall, overall, round: 1, max_rounds: 1, worker: k, workers: leases.length });
  };
  const failFast = (e) => {
    inner.abort(); // one worker failed: stop the others
    throw e;
  };
  const chunks = [];
  try {
    const sessions = await Promise.all(
      leases.map((l, k) =>
        l
          .run("prepare", { csv: payload.csv, options }, {
            signal: inner.signal,
            onProgress: (p) => {
              prepared[k] = Math.max(prepared[k], p.fraction ?? 0);
              report(p, k);
            },
          })
          .catch(failFast),
      ),
    );
    let next = 0;
    await Promise.all(
      leases.map(async (l, k) => {
        while (next < total) {
          const first = next;
          const count = Math.max(1, Math.ceil((total - next) / (2 * leases.length)));
          next += count;
          const { model } = await l
            .run("grow", { session: sessions[k].session, first, count, withModel: first === 0 }, {
              signal: inner.signal,
              onProgress: (p) => {
                growing[k] = Math.round((p.fraction ?? 0) * count);
                report({ ...p, trees: grown + growing.reduce((a, b) => a + b, 0) }, k);
              },
            })
            .catch(failFast);
          growing[k] = 0;
          grown += count;
          chunks.push({ first, count, worker: k, model });
        }
      }),
    );
    // free each worker's prepared data (in the worker, while this thread merges), then give the workers back
    const released = leases.map((l, k) => l.run("release", { session: sessions[k].session }).then(() => l.end(), () => {}));
    chunks.sort((a, b) => a.first - b.first);
    const merged = unwrap(inHeap(M, chunks.map((c) => c.model), (addresses, lengths) => M._merge(addresses, lengths)));
    await Promise.all(released);
    const classifier = new Classifier(PRIVATE, M, merged);
    return {
      classifier,
      report: { n_train: merged.info.n_train_rows, workers: leases.length, trees: chunks.map(({ first, count, worker }) => ({ first, count, worker })) },
    };
  } catch (e) {
    for (const l of leases) l.kill();
    throw signal?.aborted ? cancelledError() : e;
  } finally {
    signal?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * Trains a classifier from a CSV/TSV, off the main thread when a Worker exists.
 * @param {object} o
 * @param {string|ArrayBuffer|Uint8Array} o.csv  the file's text or bytes
 * @param {string|string[]} o.text               text column(s), joined with a space
 * @param {string} o.label                       label column
 * @param {number} [o.headerRow=1]               1-based line of the column names
 * @param {string} [o.delimiter]                 forced delimiter (sniffed otherwise)
 * @param {object} [o.params]                    {preprocess, tfidf, forest, split, search}, sklearn names
 * @param {boolean} [o.evaluate=true]            true: the notebook's experiment (split, model search,
 *        report; the classifier is the best round's forest); false: one forest fitted on every row
 * @param {(p: object) => void} [o.onProgress]
 * @param {AbortSignal} [o.signal]               abort -> ClassifierError "cancelled"
 * @param {boolean} [o.worker=true]              false: run on this thread (blocks it)
 * @param {number} [o.workers=1]                 with evaluate: false, grow the forest's trees in this many
 *        workers at once (each prepares the same TF-IDF once, then grows chunks of trees as it becomes
 *        free; the chunks are merged in tree order, so the model is the same as with one worker)
 * @returns {Promise<{classifier: Classifier, report: object}>}
 */
export async function trainClassifier(o = {}) {
  const { csv, onProgress, signal, evaluate = true, worker = true } = o;
  if (csv === undefined || csv === null) {
    throw new ClassifierError("invalid_parameter", "trainClassifier() needs the 'csv' option.", { where: "csv" });
  }
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new ClassifierError("invalid_parameter", "The 'onProgress' option must be a function.", { where: "onProgress" });
  }
  if (signal?.aborted) throw cancelledError();
  const type = evaluate ? "evaluate" : "train";
  const payload = { csv: csvInput(csv), options: coreOptions(o) };
  const workers = o.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new ClassifierError("invalid_parameter", "The 'workers' option must be an int in [1, 64].", { where: "workers" });
  }
  if (workers > 1 && !evaluate && worker) {
    const parallel = await trainParallel(payload, workers, { onProgress, signal });
    if (parallel) return parallel;
  }
  let result = worker ? await runInWorker(type, payload, { onProgress, signal }) : null;
  if (!result) {
    result = await runTask(type, payload, (p) => onProgress?.(p));
    if (signal?.aborted) throw cancelledError();
  }
  const classifier = await Classifier.load(result.model);
  return { classifier, report: result.report };
}
