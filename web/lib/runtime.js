// The WebAssembly module and the long tasks that run on it. Shared by the main-thread API
// (titleforest.js) and the worker (worker.js): a task here is plain data in, plain data out, so the
// same code runs inline or behind postMessage.
import { ClassifierError, unwrap } from "./errors.js";

export const isNode =
  typeof process === "object" && typeof process.versions === "object" && typeof process.versions.node === "string";

const DEFAULT_MODULE_URL = new URL("./wasm/titleforest.mjs", import.meta.url);
let modulePromise = null;

/** The instantiated Emscripten module (one per thread/worker), loaded on first use. */
export function loadModule(moduleUrl = DEFAULT_MODULE_URL) {
  if (!modulePromise) {
    modulePromise = (async () => {
      let factory;
      try {
        factory = (await import(String(moduleUrl))).default;
      } catch (e) {
        throw new ClassifierError(
          "internal",
          `The WebAssembly module could not be loaded from ${moduleUrl} (build it with the "titleforest_wasm" target): ${e?.message ?? e}`,
          { where: String(moduleUrl), cause: e },
        );
      }
      return factory();
    })();
    modulePromise.catch(() => {
      modulePromise = null; // let a later call retry
    });
  }
  return modulePromise;
}

/** Size of this thread's WebAssembly heap in bytes (0 before the module is loaded); it never shrinks. */
export async function heapBytes() {
  if (!modulePromise) return 0;
  const M = await modulePromise;
  return M.HEAPU8?.byteLength ?? 0;
}

/**
 * Calls fn(addresses, lengths) with a copy of each Uint8Array of `list` in the module's heap, freed
 * afterwards: how the bindings take model files (Embind's std::string conversion of a Uint8Array copies
 * a byte at a time, about 10 ms per MB).
 */
export function inHeap(M, list, fn) {
  const addresses = [];
  try {
    for (const bytes of list) {
      const at = M._malloc(Math.max(1, bytes.length));
      if (!at) throw new ClassifierError("internal", `Out of memory for ${bytes.length} bytes.`);
      addresses.push(at);
      M.HEAPU8.set(bytes, at); // HEAPU8 read after _malloc, which may have grown the memory
    }
    return fn(addresses, list.map((b) => b.length));
  } finally {
    for (const at of addresses) M._free(at);
  }
}

/** Bytes of a CSV/TSV: strings pass through, binary goes in as Uint8Array (the core decodes UTF-8). */
export function csvInput(csv, what = "csv") {
  if (typeof csv === "string") return csv;
  if (csv instanceof Uint8Array) return csv;
  if (csv instanceof ArrayBuffer) return new Uint8Array(csv);
  if (ArrayBuffer.isView(csv)) return new Uint8Array(csv.buffer, csv.byteOffset, csv.byteLength);
  throw new ClassifierError("invalid_parameter", `The '${what}' option must be a string, an ArrayBuffer or a Uint8Array.`, {
    where: what,
  });
}

/** The options object the bindings read: {text, label, header_row, delimiter, source, params}. */
export function coreOptions({ text, label, headerRow = 1, delimiter, source, params } = {}) {
  const o = { text: typeof text === "string" ? [text] : text, label, header_row: headerRow, source: source ?? "input" };
  if (delimiter !== undefined && delimiter !== null) o.delimiter = delimiter;
  if (params !== undefined && params !== null) o.params = params;
  return o;
}

/**
 * Runs one task on this thread's module. `report(p)` receives progress objects:
 *   {kind: "progress", stage, fraction, round, max_rounds, overall, trees}  (fraction = overall: the
 *     whole task's share done, in [0, 1]; round = the search round running, 1-based; trees = trees grown
 *     so far in this round)
 *   {kind: "round", round, criterion, n_estimators, accuracy, v_measure, max_rounds, overall} (a round ended)
 * Returns plain data: {report, model: Uint8Array (CBOR model)} for "evaluate" and "train"; the caller
 * loads the model (its info, with the top terms, comes from that). "prepare" -> {session, n_rows},
 * "grow" -> {model: the chunk's bytes}, "release" -> whether the session existed.
 */
export async function runTask(type, payload, report = () => {}) {
  const M = await loadModule();
  switch (type) {
    case "read_table": {
      const { csv, ...opts } = payload;
      return unwrap(M._read_table(csvInput(csv), JSON.stringify(opts)));
    }
    case "evaluate":
    case "train": {
      const { csv, options } = payload;
      const evaluate = type === "evaluate";
      const maxRounds = evaluate ? Math.max(1, options?.params?.search?.max_rounds ?? 10) : 1;
      // The core's fraction is already the whole task's (rounds included); add which round is running.
      let done = 0;
      let last = 0;
      let trees = 0; // the forest reports once per grown tree
      const progress = (p) => {
        if (p.kind === "round") {
          done += 1;
          trees = 0;
          report({ ...p, max_rounds: maxRounds, overall: last });
        } else {
          const fraction = Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : 0;
          last = Math.max(last, fraction);
          if (p.stage === "forest") trees += 1;
          report({ ...p, fraction, round: Math.min(done + 1, maxRounds), max_rounds: maxRounds, overall: last, trees });
        }
      };
      const r = unwrap((evaluate ? M._evaluate : M._train)(csvInput(payload.csv), JSON.stringify(options), progress));
      try {
        const model = unwrap(M._save(r.handle, "binary"));
        const result = evaluate
          ? r.report
          : { n_rows: r.n_rows, dropped_empty_label: r.dropped_empty_label, n_train: r.info.n_train_rows };
        return { report: result, model };
      } finally {
        M._dispose(r.handle);
      }
    }
    // parallel training (trainClassifier({workers})): prepare the data once, grow chunks of trees, release
    case "prepare": {
      const { csv, options } = payload;
      return unwrap(M._prepare(csvInput(csv), JSON.stringify(options), (p) => report(p)));
    }
    case "grow": {
      const { session, first, count, withModel } = payload;
      return { model: unwrap(M._grow(session, first, count, Boolean(withModel), (p) => report(p))) };
    }
    case "release":
      return M._release(payload.session);
    default:
      throw new ClassifierError("internal", `Unknown task type "${type}".`);
  }
}
