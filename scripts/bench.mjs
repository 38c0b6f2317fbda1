#!/usr/bin/env node
// npm run bench: the pipeline's stages natively and as WebAssembly (node), on the example data and on the
// 52,754 O*NET titles, and NLTK/scikit-learn on the same work when Debian's python3-nltk/python3-sklearn
// are installed. Prints medians of several runs, measured in this one run, and their ratios.
//   node scripts/bench.mjs [--quick] [--trees N]
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
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
    if (p != null && stage === "forest.fit") p *= trees / py.trees;  // sklearn fits fewer trees: scaled
    console.log(`${stage.padEnd(22)}${pad(fmt(n), 11)}${pad(fmt(w), 11)}${pad(fmt(w / n, 2) + "x", 13)}` +
      `${pad(fmt(p), 12)}${pad(p == null ? "-" : fmt(p / w, 1) + "x", 13)}`);
  }
  console.log(`accuracy / v-measure: native ${fmt(native.forest.accuracy, 4)} / ${fmt(native.forest.v_measure, 4)}, ` +
    `wasm ${fmt(wasm.forest.accuracy, 4)} / ${fmt(wasm.forest.v_measure, 4)}` +
    (py?.forest ? `, sklearn (${py.trees} trees) ${fmt(py.forest.accuracy, 4)} / ${fmt(py.forest.v_measure, 4)}` : ""));
  console.log(`peak memory MB: native ${fmt(native.peak_memory_mb)}, wasm heap ${fmt(wasm.peak_memory_mb)}` +
    (py ? `, python ${fmt(py.peak_memory_mb)}` : ""));
  console.log(`model bytes: json ${native.model_bytes.json}, binary ${native.model_bytes.binary}` +
    (py?.pickle_bytes ? `, sklearn pickle (${py.trees} trees, scaled to ${trees}) ${Math.round(py.pickle_bytes * trees / py.trees)}` +
      ` = ${fmt(py.pickle_bytes * trees / py.trees / native.model_bytes.binary)}x the binary model` : ""));
  if (!py) console.log("(python3-nltk / python3-sklearn not installed: no Python columns)");
}
