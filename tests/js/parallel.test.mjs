// Parallel training (issue 6 item 4): the forest's trees grown in several worker_threads, each with its
// own WebAssembly instance rebuilding the same TF-IDF, merged in tree order, give the model that one
// worker gives, byte for byte.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ClassifierError, trainClassifier } from "../../web/lib/titleforest.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const csv = readFileSync(path.join(root, "models/persona/positions.csv"));
const base = { csv, text: "positions", label: "label", evaluate: false };

test("3 workers grow the same forest as 1", async () => {
  const params = { forest: { n_estimators: 25, random_state: 7 } };
  const one = await trainClassifier({ ...base, params });
  const events = [];
  const three = await trainClassifier({ ...base, params, workers: 3, onProgress: (p) => events.push(p) });
  try {
    assert.equal(three.report.workers, 3);
    // chunks in tree order, consecutive, shrinking (the guided schedule), spread over the three workers
    const chunks = three.report.trees;
    assert.equal(chunks[0].first, 0);
    for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i].first, chunks[i - 1].first + chunks[i - 1].count);
    assert.equal(chunks.at(-1).first + chunks.at(-1).count, 25);
    assert.equal(chunks[0].count, 5); // ceil(25 / (2 * 3))
    assert.ok(chunks.length > 3);
    assert.deepEqual(new Set(chunks.map((c) => c.worker)), new Set([0, 1, 2]));
    assert.equal(three.classifier.info.n_trees, 25);
    assert.deepEqual(three.classifier.toBytes(), one.classifier.toBytes());
    assert.deepEqual(three.classifier.toBytes("json"), one.classifier.toBytes("json"));
    // the top terms, computed when first read, are the same too, and stay after the first read
    const top = three.classifier.info.top_terms;
    assert.ok(top.length > 0 && top.every(([term, w]) => typeof term === "string" && w > 0));
    assert.deepEqual(top, one.classifier.info.top_terms);
    assert.equal(three.classifier.info.top_terms, top);
    assert.ok(events.some((e) => e.workers === 3 && e.overall > 0));
  } finally {
    one.classifier.dispose();
    three.classifier.dispose();
  }
});

test("more workers than trees, and a None random_state drawn once for all workers", async () => {
  const { classifier, report } = await trainClassifier({ ...base, params: { forest: { n_estimators: 2 } }, workers: 4 });
  assert.equal(report.workers, 2);
  assert.equal(classifier.info.n_trees, 2);
  assert.equal(typeof classifier.params.forest.random_state, "number");
  const again = await trainClassifier({ ...base, params: { forest: { n_estimators: 2, random_state: classifier.params.forest.random_state } } });
  assert.deepEqual(again.classifier.toBytes(), classifier.toBytes());
  classifier.dispose();
  again.classifier.dispose();
});

test("a bad parameter fails every part with its code; cancel stops all workers", async () => {
  await assert.rejects(
    trainClassifier({ ...base, params: { forest: { n_estimators: 10, max_depth: 0 } }, workers: 2 }),
    (e) => e instanceof ClassifierError && e.code === "invalid_parameter" && /max_depth/.test(e.where),
  );
  const controller = new AbortController();
  const pending = trainClassifier({ ...base, params: { forest: { n_estimators: 3000 } }, workers: 2, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(pending, (e) => e instanceof ClassifierError && e.code === "cancelled");
  await assert.rejects(trainClassifier({ ...base, workers: 0 }), (e) => e.code === "invalid_parameter" && e.where === "workers");
});
