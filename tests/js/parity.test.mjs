// The WebAssembly build and the native CLI give the same results: the notebook's experiment (the
// `evaluate` JSON, exactly) and predictions. Needs the native CLI (build/native/titleforest, or
// TITLEFOREST_CLI), which `npm test` builds first.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Classifier, trainClassifier } from "../../web/lib/titleforest.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = process.env.TITLEFOREST_CLI || path.join(root, "build/native/titleforest");
const DATA = path.join(root, "models/persona/positions-titled.csv");
const sorted = (v) =>
  JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

test("evaluate: the WASM report equals the CLI's --json", async (t) => {
  assert.ok(existsSync(CLI), `no native CLI at ${CLI}: build it first (npm test does)`);
  const dir = mkdtempSync(path.join(tmpdir(), "titleforest-parity-"));
  try {
    const cases = [
      { flags: [], params: undefined },
      {
        flags: ["--max-rounds", "3", "--n-estimators", "30", "--select-on", "validation", "--test-size", "0.25"],
        params: { forest: { n_estimators: 30 }, search: { max_rounds: 3, select_on: "validation" }, split: { test_size: 0.25 } },
      },
    ];
    for (const c of cases) {
      const out = path.join(dir, "eval.json");
      execFileSync(CLI, ["evaluate", DATA, "--header-row", "2", "--text", "positions", "--label", "label", ...c.flags, "--json", out], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      const native = JSON.parse(readFileSync(out, "utf8"));
      const { classifier, report } = await trainClassifier({ csv: readFileSync(DATA), headerRow: 2, text: "positions", label: "label", params: c.params });
      classifier.dispose();
      const { best_round, dropped_empty_label, dropped_empty_text, ...core } = report;
      assert.equal(sorted(core), sorted(native), c.flags.join(" "));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("predict: the CLI and WASM agree on the bundled model", async (t) => {
  assert.ok(existsSync(CLI), `no native CLI at ${CLI}: build it first (npm test does)`);
  const model = path.join(root, "models/persona/model.json");
  const titles = ["VP of Engineering", "Senior Product Manager", "Chief Financial Officer", "Welder", "Co-Founder. CEO."];
  const csv = execFileSync(CLI, ["predict", model], { input: titles.join("\n") + "\n" }).toString("utf8");
  const lines = csv.trim().split(/\r?\n/);
  const rows = (lines[0].startsWith("text,") ? lines.slice(1) : lines).map((l) => l.split(","));
  const clf = await Classifier.load(model);
  const preds = clf.predict(titles);
  clf.dispose();
  assert.equal(rows.length, titles.length, csv);
  rows.forEach((r, i) => {
    const probability = Number(r[r.length - 1]);
    const label = r[r.length - 2];
    assert.equal(label, preds[i].label, titles[i]);
    assert.ok(Math.abs(probability - preds[i].probabilities[label]) < 1e-6, `${titles[i]}: ${probability}`);
  });
});
