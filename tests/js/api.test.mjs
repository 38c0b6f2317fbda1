// The WASM module and the JS API (web/lib/titleforest.js) in Node: load, predict, train (in a
// worker_thread and inline), progress, cancel, error codes, save/load round trips.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Classifier, ClassifierError, ERROR_CODES, readTable, trainClassifier, version } from "../../web/lib/titleforest.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MODEL = path.join(root, "models/persona/model.json");
const POSITIONS = readFileSync(path.join(root, "models/persona/positions.csv"));
const TITLED = readFileSync(path.join(root, "models/persona/positions-titled.csv"), "utf8");
const FAST = { forest: { n_estimators: 20 }, search: { max_rounds: 1, n_estimators_spread: 0 } };
const LABELS = ["c-level", "engineer", "product"];

async function rejectsWith(promiseOrFn, code, where) {
  let caught;
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a ClassifierError "${code}", nothing was thrown`);
  assert.ok(caught instanceof ClassifierError, `expected a ClassifierError, got ${caught}`);
  assert.equal(caught.code, code, `code of: ${caught.message}`);
  assert.ok(caught.message.length > 10 && !/^\d+$/.test(caught.message), `a sentence: ${caught.message}`);
  if (where !== undefined) assert.match(caught.where, where, `where of: ${caught.message}`);
  return caught;
}

test("the module loads and reports its version", async () => {
  assert.match(await version(), /^titleforest \d+\.\d+\.\d+/);
});

describe("the bundled model", () => {
  let clf;
  before(async () => {
    assert.ok(existsSync(MODEL), `${MODEL} is missing: the native build trains it (cmake --build build/native --target models)`);
    clf = await Classifier.load(MODEL);
  });
  after(() => clf?.dispose());

  test("has the persona labels", () => {
    assert.deepEqual([...clf.labels], LABELS);
    assert.ok(clf.info.n_trees >= 1);
    assert.ok(clf.info.n_features > 100);
    const top = clf.info.top_terms;
    assert.equal(top.length, 20);
    assert.equal(typeof top[0][0], "string");
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1][1] >= top[i][1]);
  });

  test("model.tfm, the binary file the page loads, is the same model at about a third of the size", async () => {
    const binaryPath = path.join(root, "models/persona/model.tfm");
    const binary = await Classifier.load(binaryPath);
    try {
      assert.deepEqual(binary.toBytes("json"), clf.toBytes("json"));
      assert.deepEqual(binary.toBytes(), new Uint8Array(readFileSync(binaryPath)));
      const titles = ["VP of Engineering", "Chief Financial Officer", "Product Owner"];
      assert.deepEqual(binary.predict(titles), clf.predict(titles));
      assert.ok(readFileSync(binaryPath).length * 2.5 < readFileSync(MODEL).length);
    } finally {
      binary.dispose();
    }
  });

  test("predicts one text and an array of texts", () => {
    const one = clf.predict("Chief Executive Officer");
    assert.ok(LABELS.includes(one.label));
    assert.deepEqual(Object.keys(one.probabilities), LABELS);
    const sum = Object.values(one.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `probabilities sum to ${sum}`);
    const many = clf.predict(["Chief Executive Officer", "Software Engineer", "Product Manager", ""]);
    assert.equal(many.length, 4);
    assert.deepEqual(many[0], one);
    for (const p of many) assert.equal(p.label, Object.entries(p.probabilities).sort((a, b) => b[1] - a[1])[0][0]);
  });

  test("labels most of its own training titles right", () => {
    const rows = POSITIONS.toString("utf8").trim().split("\n").slice(1, 201).map((l) => l.split(","));
    const simple = rows.filter((r) => r.length === 4); // titles without quoted commas
    const preds = clf.predict(simple.map((r) => r[0]));
    const right = preds.filter((p, i) => p.label === simple[i][1]).length;
    assert.ok(right / simple.length > 0.8, `${right} of ${simple.length}`);
  });

  test("loads from a URL-like file: URL, bytes, ArrayBuffer and a parsed object alike", async () => {
    const text = readFileSync(MODEL);
    const sources = [
      new URL(`file://${MODEL}`),
      new Uint8Array(text),
      text.buffer.slice(text.byteOffset, text.byteOffset + text.byteLength),
      JSON.parse(text.toString("utf8")),
    ];
    const expected = clf.predict(["VP of Engineering", "Chief Financial Officer"]);
    for (const s of sources) {
      const c = await Classifier.load(s);
      assert.deepEqual(c.predict(["VP of Engineering", "Chief Financial Officer"]), expected);
      c.dispose();
    }
  });

  test("is reproduced byte for byte by the WebAssembly build (native CLI = WASM)", async () => {
    // models/persona/train.sh: train positions-titled.csv --header-row 2 --text positions --label label
    //   --n-estimators 100 --criterion gini --random-state 42 --out model.json
    const train = readFileSync(path.join(root, "models/persona/train.sh"), "utf8");
    assert.match(train, /--header-row 2 --text positions --label label\s*\\?\s*--n-estimators 100 --criterion gini --random-state 42/);
    const { classifier } = await trainClassifier({
      csv: TITLED,
      headerRow: 2,
      text: "positions",
      label: "label",
      params: { forest: { n_estimators: 100, criterion: "gini", random_state: 42 } },
      evaluate: false,
    });
    try {
      assert.equal(new TextDecoder().decode(classifier.toBytes("json")), readFileSync(MODEL, "utf8"));
    } finally {
      classifier.dispose();
    }
  });

  test("toBytes / toJSON round trips give the same predictions", async () => {
    const titles = ["VP of Engineering", "Senior Product Manager", "Chief Financial Officer", "Welder"];
    const expected = clf.predict(titles);
    for (const enc of ["binary", "json"]) {
      const bytes = clf.toBytes(enc);
      assert.ok(bytes instanceof Uint8Array && bytes.length > 100);
      const c = await Classifier.load(bytes);
      assert.deepEqual(c.predict(titles), expected, enc);
      assert.deepEqual(c.toBytes(enc), bytes, `${enc} bytes are stable`);
      c.dispose();
    }
    assert.ok(clf.toBytes("binary").length < clf.toBytes("json").length, "binary is smaller");
    const c = await Classifier.load(clf.toJSON());
    assert.deepEqual(c.predict(titles), expected);
    assert.equal(JSON.stringify(c), JSON.stringify(clf.toJSON()));
    c.dispose();
  });
});

describe("trainClassifier", () => {
  test("runs the notebook's experiment in a worker_thread with progress", async () => {
    const events = [];
    const { classifier, report } = await trainClassifier({
      csv: POSITIONS,
      text: ["positions"],
      label: "label",
      params: FAST,
      onProgress: (p) => events.push(p),
    });
    try {
      assert.deepEqual([...classifier.labels], LABELS);
      assert.equal(report.n_train + report.n_test, 600);
      assert.equal(report.n_test, 240);
      assert.ok(report.accuracy > 0.5 && report.accuracy <= 1, `accuracy ${report.accuracy}`);
      assert.ok(report.v_measure > 0 && report.v_measure <= 1, `v_measure ${report.v_measure}`);
      assert.deepEqual(report.labels, LABELS);
      assert.equal(report.confusion_matrix.flat().reduce((a, b) => a + b, 0), report.n_test);
      assert.equal(report.rounds.length, 1);
      assert.equal(report.rounds[0].n_estimators, 20);
      assert.equal(report.best_round, 0);
      assert.equal(classifier.info.n_trees, 20);
      const wrong = report.wrong.reduce((a, g) => a + g.count, 0);
      const correct = report.correct.reduce((a, g) => a + g.count, 0);
      assert.equal(wrong + correct, report.n_test);
      assert.ok(Math.abs(correct / report.n_test - report.accuracy) < 1e-12);
      for (const g of [...report.wrong, ...report.correct]) {
        assert.equal(g.rows.length, g.count);
        assert.equal(g.actual_counts.reduce((a, [, n]) => a + n, 0), g.count);
        for (const r of g.rows) assert.equal(r.predicted, g.predicted);
      }
      assert.ok(events.some((e) => e.kind === "progress"), "progress events");
      const round = events.find((e) => e.kind === "round");
      assert.ok(round && round.round === 1 && round.max_rounds === 1, JSON.stringify(round));
      const trees = events.filter((e) => e.stage === "forest").map((e) => e.trees);
      assert.deepEqual(trees, Array.from({ length: 20 }, (_, i) => i + 1), "one progress event per tree");
      const overall = events.filter((e) => e.kind === "progress").map((e) => e.overall);
      assert.ok(overall.every((x, i) => x >= 0 && x <= 1 && (i === 0 || x >= overall[i - 1])), "monotone in [0, 1]");
    } finally {
      classifier.dispose();
    }
  });

  test("gives the same model bytes in a worker and inline, and takes a string", async () => {
    const a = await trainClassifier({ csv: POSITIONS, text: "positions", label: "label", params: FAST });
    const b = await trainClassifier({
      csv: POSITIONS.toString("utf8"),
      text: ["positions"],
      label: "label",
      params: FAST,
      worker: false,
    });
    assert.deepEqual(a.classifier.toBytes(), b.classifier.toBytes());
    assert.deepEqual(a.report, b.report);
    a.classifier.dispose();
    b.classifier.dispose();
  });

  test("evaluate: false fits one forest on every row", async () => {
    const { classifier, report } = await trainClassifier({
      csv: TITLED,
      headerRow: 2,
      text: ["positions"],
      label: "label",
      params: { forest: { n_estimators: 10 } },
      evaluate: false,
    });
    assert.equal(report.n_train, 600);
    assert.equal(classifier.info.n_trees, 10);
    classifier.dispose();
  });

  test("an aborted signal rejects with code cancelled", async () => {
    const early = new AbortController();
    early.abort();
    await rejectsWith(trainClassifier({ csv: POSITIONS, text: "positions", label: "label", signal: early.signal }), "cancelled");

    const controller = new AbortController();
    let progressed = 0;
    const started = Date.now();
    await rejectsWith(
      trainClassifier({
        csv: POSITIONS,
        text: "positions",
        label: "label",
        params: { forest: { n_estimators: 400 }, search: { max_rounds: 50, target_v_measure: 1.0 } },
        signal: controller.signal,
        onProgress: () => {
          if (++progressed === 3) controller.abort();
        },
      }),
      "cancelled",
    );
    assert.ok(progressed >= 3);
    assert.ok(Date.now() - started < 30000, "stopped promptly");
  });
});

describe("error codes", () => {
  const base = { csv: POSITIONS, text: ["positions"], label: "label", worker: false };
  const cases = [
    { name: "a missing text column", opts: { text: ["title"] }, code: "bad_input", where: /title|column/ },
    { name: "a missing label column", opts: { label: "persona" }, code: "bad_input", where: /persona|column/ },
    { name: "an empty file", opts: { csv: "" }, code: "bad_input" },
    { name: "a header row past the end", opts: { headerRow: 5000 }, code: "bad_input" },
    { name: "n_estimators = 0", opts: { params: { forest: { n_estimators: 0 } } }, code: "invalid_parameter", where: /forest\.n_estimators/ },
    { name: "max_df = 1.5", opts: { params: { tfidf: { max_df: 1.5 } } }, code: "invalid_parameter", where: /tfidf\.max_df/ },
    { name: "an unknown stage", opts: { params: { trees: {} } }, code: "invalid_parameter", where: /trees/ },
    { name: "an unknown forest key", opts: { params: { forest: { n_trees: 3 } } }, code: "invalid_parameter", where: /n_trees/ },
    { name: "test_size = 2.5", opts: { params: { split: { test_size: 2.5 } } }, code: "invalid_parameter", where: /test_size/ },
    { name: "no text column", opts: { text: [] }, code: "invalid_parameter", where: /text/ },
    { name: "a csv that is a number", opts: { csv: 42 }, code: "invalid_parameter", where: /csv/ },
  ];
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, async () => {
      await rejectsWith(trainClassifier({ ...base, ...c.opts }), c.code, c.where);
    });
  }

  test("a single label -> bad_input (also through the worker)", async () => {
    const csv = "positions,label\nCEO,a\nCTO,a\nCFO,a\n";
    await rejectsWith(trainClassifier({ csv, text: "positions", label: "label", params: FAST }), "bad_input");
  });

  test("bad model bytes -> model_format", async () => {
    await rejectsWith(Classifier.load(new TextEncoder().encode("not a model")), "model_format");
    await rejectsWith(Classifier.load(new Uint8Array([0xa1, 0x61, 0x61, 0x01])), "model_format");
    await rejectsWith(Classifier.load({ format: "something-else", version: 1 }), "model_format");
    await rejectsWith(Classifier.load({ format: "titleforest-model", version: 999 }), "model_format");
    await rejectsWith(Classifier.load(new Uint8Array(0)), "model_format");
  });

  test("a missing model file -> bad_input; a bad source -> invalid_parameter", async () => {
    await rejectsWith(Classifier.load(path.join(root, "no/such/model.json")), "bad_input");
    await rejectsWith(Classifier.load(42), "invalid_parameter");
  });

  test("predict after dispose -> not_fitted; predict(non-string) -> invalid_parameter", async () => {
    const { classifier } = await trainClassifier({ ...base, params: FAST });
    await rejectsWith(() => classifier.predict([1, 2]), "invalid_parameter");
    classifier.dispose();
    classifier.dispose(); // twice is fine
    assert.equal(classifier.disposed, true);
    await rejectsWith(() => classifier.predict("CTO"), "not_fitted");
    await rejectsWith(() => classifier.toBytes(), "not_fitted");
  });

  test("the error object carries code, message and where across the worker", async () => {
    const e = await rejectsWith(
      trainClassifier({ csv: POSITIONS, text: "positions", label: "label", params: { forest: { n_estimators: -1 } } }),
      "invalid_parameter",
    );
    assert.equal(e.name, "ClassifierError");
    assert.match(e.message, /n_estimators/);
    assert.ok(ERROR_CODES.includes(e.code));
  });
});

describe("readTable", () => {
  test("reads the header on row 2 of the titled example", async () => {
    const t = await readTable(TITLED, { headerRow: 2, previewRows: 3 });
    assert.deepEqual(t.columns, ["positions", "label", "onet_soc_code", "source"]);
    assert.equal(t.n_rows, 600);
    assert.equal(t.preview.length, 3);
    assert.equal(t.preview[0][0], "Patent Engineer");
    assert.equal(t.delimiter, ",");
  });
  test("sniffs TSV and reads bytes with a BOM", async () => {
    const tsv = new TextEncoder().encode("\uFEFFtitle\tlabel\nCTO\tc-level\nDev\tengineer\n");
    const t = await readTable(tsv);
    assert.deepEqual(t.columns, ["title", "label"]);
    assert.equal(t.delimiter, "\t");
    assert.equal(t.n_rows, 2);
  });
});
