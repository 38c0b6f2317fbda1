#!/usr/bin/env node
// npm run bench: the pipeline's stages natively and as WebAssembly (node), on the example data and on the
// 52,754 O*NET titles, and NLTK/scikit-learn on the same work when Debian's python3-nltk/python3-sklearn
// are installed. Prints medians of several runs, measured in this one run, and their ratios.
//   node scripts/bench.mjs [--quick] [--trees N]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const trees = Number(args[args.indexOf("--trees") + 1]) || 100;

function run(cmd, argv) {
  const out = execFileSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").pop());
}

const fmt = (x, d = 1) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(d));
const pad = (s, n) => String(s).padStart(n);

function pythonBaseline(data, runs) {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import nltk, sklearn"], { stdio: "ignore" });
  } catch {
    return null;
  }
  return run("/usr/bin/python3", [join(root, "scripts/bench_python.py"), "--data", data, "--runs", String(runs),
    "--trees", String(Math.min(trees, 10))]);
}

const sets = quick ? [["persona", 5, 3]] : [["persona", 9, 5], ["onet", 5, 3]];
for (const [data, runs, forestRuns] of sets) {
  const common = ["--data", data, "--runs", String(runs), "--forest-runs", String(forestRuns), "--trees", String(trees), "--project", root];
  const native = run(join(root, "build/native/titleforest_bench"), common);
  const wasm = run("node", [join(root, "build/wasm/titleforest_bench.cjs"), ...common]);
  const py = pythonBaseline(data, data === "onet" ? 3 : runs);
  console.log(`\ntitleforest-bench  ${data}: ${native.rows} titles, ${native.split.n_train} train x ${native.split.n_features} features, ` +
    `${native.split.n_classes} classes, ${trees} trees; medians of ${runs} runs (forest.fit: ${forestRuns})`);
  console.log(`${"stage".padEnd(22)}${pad("native ms", 11)}${pad("wasm ms", 11)}${pad("wasm/native", 13)}${pad("python ms", 12)}${pad("python/wasm", 13)}`);
  for (const stage of Object.keys(native.stages)) {
    const n = native.stages[stage].median_ms, w = wasm.stages[stage].median_ms;
    let p = py?.stages?.[stage]?.median_ms;
    // sklearn fits (and predicts with) fewer trees: both scaled to ours, and marked "*"
    const scaled = p != null && (stage === "forest.fit" || stage === "forest.predict") && py.trees !== trees;
    if (scaled) p *= trees / py.trees;
    console.log(`${stage.padEnd(22)}${pad(fmt(n), 11)}${pad(fmt(w), 11)}${pad(fmt(w / n, 2) + "x", 13)}` +
      `${pad(fmt(p) + (scaled ? "*" : ""), 12)}${pad(p == null ? "-" : fmt(p / w, 1) + "x", 13)}`);
  }
  if (py && py.trees !== trees) console.log(`* sklearn's ${py.trees}-tree forest, time scaled to ${trees} trees`);
  console.log(`accuracy / v-measure: native ${fmt(native.forest.accuracy, 4)} / ${fmt(native.forest.v_measure, 4)}, ` +
    `wasm ${fmt(wasm.forest.accuracy, 4)} / ${fmt(wasm.forest.v_measure, 4)}` +
    (py?.forest ? `, sklearn (${py.trees} trees) ${fmt(py.forest.accuracy, 4)} / ${fmt(py.forest.v_measure, 4)}` : ""));
  console.log(`peak memory MB: after fit, predict and a binary save and load: native ${fmt(native.peak_memory_mb_binary)}, ` +
    `wasm heap ${fmt(wasm.peak_memory_mb_binary)}` + (py ? `; python ${fmt(py.peak_memory_mb)}` : "") +
    ` (before any save: native ${fmt(native.peak_memory_mb_before_save)}, wasm ${fmt(wasm.peak_memory_mb_before_save)}; ` +
    `after also saving JSON text: native ${fmt(native.peak_memory_mb)}, wasm ${fmt(wasm.peak_memory_mb)})`);
  console.log(`model bytes: json ${native.model_bytes.json}, binary ${native.model_bytes.binary}` +
    (py?.pickle_bytes ? `, sklearn pickle (${py.trees} trees, scaled to ${trees}) ${Math.round(py.pickle_bytes * trees / py.trees)}` +
      ` = ${fmt(py.pickle_bytes * trees / py.trees / native.model_bytes.binary)}x the binary model` : ""));
  if (native.forest_fit_2_threads_ms) {
    const fit1 = native.stages["forest.fit"].median_ms;
    console.log(`native forest.fit on 2 threads: ${fmt(native.forest_fit_2_threads_ms)} ms, ${fmt(fit1 / native.forest_fit_2_threads_ms, 2)}x ` +
      "1 thread (what 2 cores of this machine give; the ceiling for 2 workers)");
  }
  if (!py) console.log("(python3-nltk / python3-sklearn not installed: no Python columns)");
}

// Training in Web-Worker-style parallelism through the JS API (Node worker_threads): the forest's trees
// split over 1 and 2 workers, each rebuilding the same TF-IDF; the merged models are byte-identical.
{
  const { trainClassifier } = await import("../web/lib/titleforest.js");
  const rows = readFileSync(join(root, "models/onet/alternate-titles.tsv"), "utf8").trim().split("\n").slice(1);
  const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = "title,major_group\n" + rows.map((r) => { const [code, title] = r.split("\t"); return `${quote(title)},${code.slice(0, 2)}`; }).join("\n");
  const runs = quick ? 1 : 3;
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
  const t = { 1: [], 2: [] };
  const bytes = {};
  // 1 and 2 workers taken in turns, so that the machine's load changes touch both alike; idle workers
  // are reused between runs (as a page would), so the first run of each pays for compiling the module
  for (let r = 0; r < runs; r++) {
    for (const workers of [1, 2]) {
      const t0 = performance.now();
      const { classifier } = await trainClassifier({ csv, text: ["title"], label: "major_group", evaluate: false, workers,
        params: { forest: { n_estimators: trees, random_state: 0 } } });
      t[workers].push(performance.now() - t0);
      bytes[workers] = classifier.toBytes();
      classifier.dispose();
    }
  }
  const time = { 1: median(t[1]), 2: median(t[2]) };
  const same = Buffer.compare(Buffer.from(bytes[1]), Buffer.from(bytes[2])) === 0;
  console.log(`\nWASM training through the JS API, all ${rows.length} O*NET titles (23 major groups), ${trees} trees, median of ${runs}:`);
  console.log(`  runs (ms): 1 worker ${t[1].map((x) => fmt(x, 0)).join(", ")}; 2 workers ${t[2].map((x) => fmt(x, 0)).join(", ")}`);
  console.log(`  1 worker ${fmt(time[1], 0)} ms, 2 workers ${fmt(time[2], 0)} ms: ${fmt(time[1] / time[2], 2)}x faster; ` +
    `models byte-identical: ${same}; binary model ${bytes[1].length} bytes`);
  process.exit(0);  // idle workers are kept for reuse
}
