// The JS API in Chromium itself: on the page's main thread (training in Web Workers, also split over
// several of them) and inside a module Web Worker.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch } from "./harness.mjs";

let browser, page;
before(async () => {
  browser = await launch();
  page = await browser.newPage("web/app/");
});
after(async () => {
  await browser?.close();
});

test("trainClassifier in Web Workers: 2 workers give the bytes of 1; errors keep their code", { timeout: 120_000 }, async () => {
  const r = await page.evaluate(async () => {
    const { trainClassifier, ClassifierError } = await import("/web/lib/titleforest.js");
    const csv = new Uint8Array(await (await fetch("/models/persona/positions.csv")).arrayBuffer());
    const base = { csv, text: ["positions"], label: "label", evaluate: false, params: { forest: { n_estimators: 12, random_state: 3 } } };
    const one = await trainClassifier(base);
    const two = await trainClassifier({ ...base, workers: 2 });
    const a = one.classifier.toBytes();
    const b = two.classifier.toBytes();
    const same = a.length === b.length && a.every((x, i) => x === b[i]);
    let error = null;
    try {
      await trainClassifier({ ...base, label: "nope" });
    } catch (e) {
      error = { isClassifierError: e instanceof ClassifierError, code: e.code, message: e.message };
    }
    const evaluated = await trainClassifier({ ...base, evaluate: true, params: { forest: { n_estimators: 10 }, search: { max_rounds: 1, n_estimators_spread: 0 } } });
    return { same, trees: two.classifier.info.n_trees, error, accuracy: evaluated.report.accuracy, predicted: evaluated.classifier.predict("CTO").label };
  });
  assert.equal(r.same, true);
  assert.equal(r.trees, 12);
  assert.equal(r.error.isClassifierError, true);
  assert.equal(r.error.code, "bad_input");
  assert.match(r.error.message, /nope/);
  assert.ok(r.accuracy > 0.5);
  assert.ok(["c-level", "engineer", "product"].includes(r.predicted));
});

test("Classifier.load and predict inside a module Web Worker", { timeout: 60_000 }, async () => {
  const r = await page.evaluate(async () => {
    const src = `
      import { Classifier } from "${location.origin}/web/lib/titleforest.js";
      const clf = await Classifier.load("${location.origin}/models/persona/model.json");
      postMessage({ labels: clf.labels, p: clf.predict(["Chief Executive Officer", "Java Developer"]) });`;
    const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
    const w = new Worker(url, { type: "module" });
    const data = await new Promise((resolve, reject) => {
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => reject(new Error(e.message));
    });
    w.terminate();
    return data;
  });
  assert.deepEqual(r.labels, ["c-level", "engineer", "product"]);
  assert.equal(r.p.length, 2);
  assert.ok(r.p.every((x) => Math.abs(Object.values(x.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-9));
});
