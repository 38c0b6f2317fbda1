// The native command-line tool, end to end: each subcommand on small inputs, the flag forms, and the
// error messages a user sees. Binary: $TITLEFOREST_CLI, default build/native/titleforest.
// Expected NLTK/sklearn outputs: fixtures/expected.json, written by fixtures/make_expected.py.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const CLI = path.resolve(root, process.env.TITLEFOREST_CLI ?? "build/native/titleforest");
const fixtures = path.join(here, "fixtures");
const titles = path.join(fixtures, "titles.csv");
const persona = path.join(root, "models/persona/positions.csv");
const personaTitled = path.join(root, "models/persona/positions-titled.csv");
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, "expected.json"), "utf8"));

let tmp;
before(() => {
  assert.ok(fs.existsSync(CLI), `the CLI binary ${CLI} does not exist: build it, or set TITLEFOREST_CLI`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "titleforest-cli-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args, { input, cwd } = {}) {
  const r = spawnSync(CLI, args, { input, encoding: "utf8", cwd: cwd ?? tmp, maxBuffer: 1 << 28 });
  // EPIPE: the tool rejected its arguments before reading the input it was given, which is fine.
  if (r.error && !(r.error.code === "EPIPE" && r.status !== null)) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args, opts) {
  const r = run(args, opts);
  assert.equal(r.code, 0, `titleforest ${args.join(" ")} failed: ${r.stderr}`);
  return r;
}

function write(name, text) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const lines = (s) => s.replace(/\n$/, "").split("\n");

// A tiny CSV parser for the CLI's own output (RFC 4180).
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe("tokenize, stem, preprocess", () => {
  test("tokenize matches NLTK word_tokenize, with and without the sentence split", () => {
    const input = expected.tokenize.map((c) => c.text).join("\n") + "\n";
    assert.deepEqual(lines(ok(["tokenize"], { input }).stdout), expected.tokenize.map((c) => c.tokens));
    assert.deepEqual(lines(ok(["tokenize", "--preserve-line", "true"], { input }).stdout),
                     expected.tokenize.map((c) => c.preserve_line));
    assert.deepEqual(lines(ok(["tokenize", "--preserve-line=false"], { input }).stdout),
                     expected.tokenize.map((c) => c.tokens));
  });

  test("tokenize replaces bytes that are not UTF-8 with U+FFFD", () => {
    const r = ok(["tokenize"], { input: Buffer.from([0x61, 0x20, 0xff, 0x62, 0x0a]) });
    assert.equal(r.stdout, "a \ufffdb\n");
  });

  test("tokenize reads CRLF input and keeps one output line per input line", () => {
    assert.equal(ok(["tokenize"], { input: "a b\r\n\r\nc.\r\n" }).stdout, "a b\n\nc .\n");
  });

  for (const mode of ["nltk", "martin", "original"]) {
    test(`stem --mode ${mode} matches NLTK's PorterStemmer`, () => {
      const input = expected.stem.map((c) => c.word).join("\n") + "\n";
      const args = mode === "nltk" ? ["stem"] : ["stem", "--mode", mode];
      assert.deepEqual(lines(ok(args, { input }).stdout), expected.stem.map((c) => c[mode]));
    });
  }

  test("preprocess is the notebook's normalizer", () => {
    const input = expected.preprocess.map((c) => c.text).join("\n") + "\n";
    assert.deepEqual(lines(ok(["preprocess"], { input }).stdout), expected.preprocess.map((c) => c.normalized));
  });

  test("preprocess flags: --stem false, --stopwords none, --min-token-length", () => {
    assert.equal(ok(["preprocess", "--stem", "false"], { input: "The Senior Engineers\n" }).stdout, "senior engineers\n");
    assert.equal(ok(["preprocess", "--stopwords", "none", "--stem", "false"], { input: "The Senior Engineers\n" }).stdout,
                 "the senior engineers\n");
    assert.equal(ok(["preprocess", "--stopwords", "senior,the", "--stem", "false"], { input: "The Senior Engineers\n" }).stdout,
                 "engineers\n");
    assert.equal(ok(["preprocess", "--min-token-length", "4", "--stem", "false"], { input: "VP of Web Sales\n" }).stdout,
                 "sales\n");
  });
});

describe("tfidf", () => {
  const tfidf = (args) => JSON.parse(ok(["tfidf", titles, "--header-row", "2", "--text", "title", ...args]).stdout);

  test("notebook defaults equal scikit-learn's TfidfVectorizer, numbers exact", () => {
    assert.deepEqual(tfidf([]), expected.tfidf.default);
  });
  test("--preprocess true normalizes first", () => {
    assert.deepEqual(tfidf(["--preprocess", "true"]), expected.tfidf.preprocessed);
    const unstemmed = tfidf(["--preprocess", "true", "--stem", "false", "--ngram-range", "1,1"]);
    assert.ok("engineer" in unstemmed.vocabulary && !("engin" in unstemmed.vocabulary));
  });
  test("--min-df 2 is a count; --ngram-range 1,1", () => {
    assert.deepEqual(tfidf(["--min-df", "2", "--ngram-range", "1,1"]), expected.tfidf.min_df_2_unigrams);
  });
  test("--stop-words none --norm l1", () => {
    assert.deepEqual(tfidf(["--stop-words", "none", "--norm", "l1", "--ngram-range=1,1"]), expected.tfidf.no_stop_words_l1);
  });
  test("--max-df 1.0 is a proportion, --max-df 1 a count (as in Python)", () => {
    const asFloat = tfidf(["--max-df", "1.0", "--ngram-range", "1,1"]);
    const asInt = tfidf(["--max-df", "1", "--ngram-range", "1,1"]);
    assert.ok(Object.keys(asFloat.vocabulary).length > Object.keys(asInt.vocabulary).length);
    assert.ok("engineer" in asFloat.vocabulary && !("engineer" in asInt.vocabulary));
  });
  test("--vocabulary as a list and as @PATH (one term per line, index = line order)", () => {
    const fromList = tfidf(["--vocabulary", "software,product,engineer"]);
    assert.deepEqual(fromList.vocabulary, { software: 0, product: 1, engineer: 2 });
    assert.deepEqual(fromList.shape, [7, 3]);
    const vocab = write("vocab.txt", "software\nproduct\r\nengineer\n");
    assert.deepEqual(tfidf(["--vocabulary", `@${vocab}`]), fromList);
  });
  test("--max-features keeps the most frequent terms; --json writes a file", () => {
    const out = path.join(tmp, "tfidf.json");
    const r = ok(["tfidf", titles, "--header-row", "2", "--text", "title", "--max-features", "3", "--json", out]);
    assert.equal(r.stdout, "");
    const j = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.equal(Object.keys(j.vocabulary).length, 3);
    assert.deepEqual(j.shape, [7, 3]);
  });
  test("reads standard input with -", () => {
    const csv = fs.readFileSync(titles, "utf8");
    const j = JSON.parse(ok(["tfidf", "-", "--header-row", "2", "--text", "title"], { input: csv }).stdout);
    assert.deepEqual(j, expected.tfidf.default);
  });
  test("several text columns are joined", () => {
    const r = ok(["tfidf", titles, "--header-row", "2", "--text", "title,label", "--ngram-range", "1,1"]);
    const j = JSON.parse(r.stdout);
    assert.ok("level" in j.vocabulary, "the label column's words are there");  // "c-level" -> "level"
    assert.ok("payments" in j.vocabulary, "the title column's words are there");
  });
});

describe("evaluate, train, predict", () => {
  test("evaluate prints a summary and writes the exact JSON", () => {
    const out = path.join(tmp, "eval.json");
    const r = ok(["evaluate", personaTitled, "--header-row", "2", "--text", "positions", "--label", "label",
                  "--max-rounds", "2", "--n-estimators", "15", "--n-estimators-spread", "5", "--json", out]);
    assert.match(r.stdout, /Accuracy: +0\.\d{4}/);
    assert.match(r.stdout, /V-measure: +0\.\d{4}/);
    const j = JSON.parse(fs.readFileSync(out, "utf8"));
    for (const key of ["accuracy", "v_measure", "homogeneity", "completeness", "labels", "confusion_matrix",
                       "n_train", "n_test", "rounds", "wrong", "correct"])
      assert.ok(key in j, `missing ${key}`);
    assert.deepEqual(j.labels, ["c-level", "engineer", "product"]);
    assert.equal(j.n_train + j.n_test, 600);
    assert.equal(j.n_test, 240);
    assert.ok(j.rounds.length >= 1 && j.rounds.length <= 2);
    const nTest = [...j.wrong, ...j.correct].reduce((s, g) => s + g.count, 0);
    assert.equal(nTest, 240);
    assert.equal(j.confusion_matrix.flat().reduce((a, b) => a + b, 0), 240);
    const g = j.wrong[0];
    assert.deepEqual(Object.keys(g).sort(), ["actual_counts", "count", "predicted", "rows"]);
    assert.deepEqual(Object.keys(g.rows[0]).sort(), ["actual", "normalized", "predicted", "text"]);
    for (const w of j.wrong) for (const row of w.rows) assert.notEqual(row.actual, row.predicted);
    assert.match(r.stdout, /Wrong predictions/i);
    assert.match(r.stdout, /Correct predictions/i);
  });

  test("evaluate --json - puts the JSON alone on standard output", () => {
    const r = ok(["evaluate", persona, "--text", "positions", "--label", "label", "--max-rounds", "1",
                  "--n-estimators", "5", "--n-estimators-spread", "0", "--json", "-"]);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.rounds.map((x) => x.n_estimators), [5]);
    assert.match(r.stderr, /Accuracy/);
  });

  test("evaluate reads standard input; --progress true reports the rounds on stderr", () => {
    const csv = fs.readFileSync(persona, "utf8");
    const r = ok(["evaluate", "-", "--text", "positions", "--label", "label", "--max-rounds", "2", "--n-estimators", "8",
                  "--n-estimators-spread", "2", "--target-v-measure", "1.0", "--progress", "true"], { input: csv });
    assert.match(r.stdout, /^standard input: 600 labelled rows; 360 to train, 240 to test\./);
    assert.match(r.stderr, /round 1: entropy, \d+ trees: accuracy 0\.\d{4}, v-measure 0\.\d{4}/);
    assert.match(r.stderr, /round 2: gini/);
    assert.doesNotMatch(ok(["evaluate", persona, "--text", "positions", "--label", "label", "--max-rounds", "1",
                            "--n-estimators", "5", "--n-estimators-spread", "0"]).stderr, /round 1/);
  });

  test("evaluate reports dropped rows (empty label, empty normalized text) on stderr", () => {
    const f = write("dropped.csv", "t,l\nSoftware Engineer,eng\nData Engineer,eng\nThe,eng\nCEO,\n" +
                    "Chief Executive,exec\nProduct Manager,prod\nProduct Owner,prod\nWeb Engineer,eng\n" +
                    "COO,exec\nCFO,exec\nProduct Lead,prod\n");
    const r = ok(["evaluate", f, "--text", "t", "--label", "l", "--max-rounds", "1", "--n-estimators", "5",
                  "--n-estimators-spread", "0", "--test-size", "0.3"]);
    assert.match(r.stderr, /dropped 1 row with an empty "l" \(line 5\)/);
    assert.match(r.stderr, /dropped 1 row whose text is empty after normalization/);
  });

  for (const ext of ["json", "bin"]) {
    test(`train --out model.${ext}, then predict from stdin and from a file`, () => {
      const model = path.join(tmp, `model.${ext}`);
      const r = ok(["train", personaTitled, "--header-row", "2", "--text", "positions", "--label", "label",
                    "--n-estimators", "10", "--random-state", "7", "--out", model]);
      assert.match(r.stderr, new RegExp(`wrote .*model\\.${ext} \\(.*(JSON|binary)\\): 600 rows, 3 labels, 10 trees`));
      const bytes = fs.readFileSync(model);
      assert.equal(bytes[0] === 0x7b, ext === "json");  // '{'
      const p = ok(["predict", model], { input: "Chief Technology Officer\nSoftware Engineer\n=HYPERLINK(\"x\")\n" });
      const rows = parseCsv(p.stdout);
      assert.deepEqual(rows[0], ["text", "label", "probability"]);
      assert.equal(rows.length, 4);
      assert.equal(rows[3][0], "'=HYPERLINK(\"x\")");  // neutralized
      for (const row of rows.slice(1)) {
        assert.ok(["c-level", "engineer", "product"].includes(row[1]));
        const prob = Number(row[2]);
        assert.ok(prob > 0 && prob <= 1, row[2]);
      }
      assert.equal(rows[2][1], "engineer");
      const f = ok(["predict", model, titles, "--header-row", "2", "--text", "title"]);
      assert.equal(parseCsv(f.stdout).length, 8);
      // A one-column file whose titles hold commas: no row is split.
      const single = write("single.csv", "title\nVP, Sales\nCTO\nSoftware Engineer, Payments\n");
      const s = parseCsv(ok(["predict", model, single, "--text", "title"]).stdout);
      assert.deepEqual(s.map((row) => row[0]), ["text", "VP, Sales", "CTO", "Software Engineer, Payments"]);
    });
  }

  test("train is deterministic: the same --random-state gives the same model bytes", () => {
    const a = path.join(tmp, "a.json"), b = path.join(tmp, "b.json");
    for (const out of [a, b])
      ok(["train", persona, "--text", "positions", "--label", "label", "--n-estimators", "5", "--random-state", "3",
          "--out", out]);
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)));
    const c = path.join(tmp, "c.json");
    ok(["train", persona, "--text", "positions", "--label", "label", "--n-estimators", "5", "--random-state", "3",
        "--n-jobs", "2", "--out", c]);
    const [ja, jc] = [a, c].map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    assert.deepEqual(jc.forest, ja.forest, "the trees do not depend on --n-jobs");
    assert.deepEqual(jc.vectorizer, ja.vectorizer);
  });
});

describe("help and flags", () => {
  test("--help of each subcommand lists its flags with defaults", () => {
    const cases = [
      ["evaluate", ["--n-estimators", "[default: 100]", "--max-df", "[default: 0.99]", "--ngram-range", "[default: 1,2]",
                    "--tfidf-max-features", "--forest-max-features", "[default: sqrt]", "--test-size", "[default: 0.4]",
                    "--split-random-state", "--search-random-state", "--max-rounds", "[default: 10]", "--stem-mode",
                    "--header-row", "--json"]],
      ["tfidf", ["--max-features", "[default: 100000]", "--sublinear-tf", "--preprocess", "--stop-words", "[default: english]"]],
      ["train", ["--out", "--random-state", "--criterion", "[default: gini]"]],
      ["predict", ["--text", "--delimiter"]],
      ["tokenize", ["--preserve-line"]],
      ["stem", ["--mode"]],
      ["preprocess", ["--stopwords", "--min-token-length", "[default: 2]"]],
    ];
    for (const [cmd, phrases] of cases) {
      const r = ok([cmd, "--help"]);
      for (const phrase of phrases) assert.ok(r.stdout.includes(phrase), `${cmd} --help lacks ${phrase}`);
    }
    assert.ok(!ok(["tfidf", "--help"]).stdout.includes("--tfidf-max-features"));
    assert.ok(!ok(["train", "--help"]).stdout.includes("--test-size"));
    assert.match(ok(["--help"]).stdout, /evaluate/);
  });
});

describe("errors: one sentence on stderr, exit 2", () => {
  const cases = [
    { d: "missing file", args: ["evaluate", "nope.csv", "--text", "t", "--label", "l"],
      phrase: "titleforest: Cannot read nope.csv: no such file." },
    { d: "missing column, with the columns listed", args: ["evaluate", persona, "--text", "title", "--label", "label"],
      phrase: `no column named "title"; the columns are "positions", "label", "onet_soc_code", "source".` },
    { d: "label column in another case", args: ["train", persona, "--text", "positions", "--label", "Label", "--out", "m.json"],
      phrase: `no column named "Label" (did you mean "label"?)` },
    { d: "header on the wrong line", args: ["evaluate", personaTitled, "--text", "positions", "--label", "label"],
      phrase: `no column named "positions"; the columns are "Example positions:` },
    { d: "no --text", args: ["evaluate", persona, "--label", "label"],
      phrase: "needs --text COL (the column holding the texts); the columns of" },
    { d: "no --label", args: ["train", persona, "--text", "positions", "--out", "m.json"], phrase: "needs --label COL" },
    { d: "no --out", args: ["train", persona, "--text", "positions", "--label", "label"], phrase: "needs --out MODEL" },
    { d: "no FILE", args: ["evaluate", "--text", "positions"], phrase: "needs a FILE" },
    { d: "bad integer", args: ["evaluate", persona, "--text", "positions", "--label", "label", "--n-estimators", "ten"],
      phrase: `--n-estimators takes an integer; got "ten".` },
    { d: "bad boolean", args: ["tfidf", titles, "--text", "title", "--binary", "yes"],
      phrase: `--binary takes true or false; got "yes".` },
    { d: "bad ngram range", args: ["tfidf", titles, "--text", "title", "--ngram-range", "2"],
      phrase: "--ngram-range takes two integers MIN,MAX such as 1,2" },
    { d: "out-of-range parameter", args: ["tfidf", titles, "--header-row", "2", "--text", "title", "--max-df", "1.5"],
      phrase: "'tfidf.max_df' parameter" },
    { d: "bad stem mode", args: ["stem", "--mode", "snowball"], input: "running\n", phrase: "snowball" },
    { d: "unknown flag, with a suggestion", args: ["evaluate", persona, "--n-estimator", "5"],
      phrase: "unknown flag --n-estimator for `titleforest evaluate` (did you mean --n-estimators?)" },
    { d: "flag of another subcommand", args: ["train", persona, "--test-size", "0.2"],
      phrase: "--test-size does not apply to `titleforest train`" },
    { d: "flag without a value", args: ["evaluate", persona, "--text"], phrase: "--text needs a value" },
    { d: "flag given twice", args: ["evaluate", persona, "--text", "a", "--text", "b"], phrase: "--text is given twice." },
    { d: "unknown command", args: ["fit", persona], phrase: `unknown command "fit"; the commands are tokenize, stem` },
    { d: "bad header row", args: ["evaluate", persona, "--header-row", "0", "--text", "a", "--label", "b"],
      phrase: `--header-row takes a line number, 1 or more; got "0".` },
    { d: "header row past the end", args: ["evaluate", titles, "--header-row", "50", "--text", "a", "--label", "b"],
      phrase: "titles.csv has 9 lines, so it has no header on line 50." },
    { d: "long row names the line", file: ["long.csv", "a,b\n1,2\n3,4,5\n"], args: ["evaluate", "{file}", "--text", "a", "--label", "b"],
      phrase: "long.csv, line 3: this row has 3 fields but the header (line 1) has 2 columns" },
    { d: "unterminated quote names its line", file: ["quote.csv", "a,b\n1,2\n\"3,4\n5,6\n"],
      args: ["evaluate", "{file}", "--text", "a", "--label", "b"],
      phrase: "quote.csv, line 3: a quoted field starts here but its closing quote is missing." },
    { d: "a single label", file: ["one.csv", "t,l\nCEO,x\nCTO,x\n"], args: ["train", "{file}", "--text", "t", "--label", "l", "--out", "m.json"],
      phrase: "Training needs at least two different labels" },
    { d: "predict: not a model", file: ["notmodel.bin", "positions,label\n"], args: ["predict", "{file}"], input: "CEO\n",
      phrase: "notmodel.bin is not a titleforest model" },
    { d: "predict: newer model", file: ["newer.json", '{"format": "titleforest-model", "version": 3}'], args: ["predict", "{file}"],
      input: "CEO\n", phrase: "newer.json was written by a newer titleforest (format version 3; this build reads up to 1)." },
    { d: "predict: damaged model", file: ["damaged.json", '{"format": "titleforest-model", "version": 1}'],
      args: ["predict", "{file}"], input: "CEO\n", phrase: "damaged.json: The model file is damaged or incomplete: key 'params'" },
    { d: "predict: model cut short", file: ["cut.json", '{"format": "titleforest-model", "version": 1, "par'],
      args: ["predict", "{file}"], input: "CEO\n", phrase: "cut.json is not a titleforest model (its JSON is malformed or cut short)." },
    { d: "predict: missing model", args: ["predict", "missing.bin"], input: "CEO\n", phrase: "Cannot read missing.bin: no such file." },
    { d: "bad vocabulary file", args: ["tfidf", titles, "--text", "title", "--vocabulary", "@nofile.txt"],
      phrase: "--vocabulary: Cannot read nofile.txt: no such file." },
    { d: "model in a missing folder, before training", args: ["train", persona, "--text", "positions", "--label", "label",
      "--out", "no/such/dir/m.json"], phrase: "Cannot write no/such/dir/m.json: the folder no/such/dir does not exist." },
    { d: "JSON output onto a folder", args: ["evaluate", persona, "--text", "positions", "--label", "label", "--json", "."],
      phrase: "Cannot write .: it is a folder." },
    { d: "predict: --text without FILE", args: ["predict", "{file}", "--text", "t"], file: ["m.json", "{}"],
      phrase: "--text applies to a FILE; without one, predict reads a text per line on standard input." },
    { d: "tfidf: a preprocess flag without --preprocess true", args: ["tfidf", titles, "--text", "title", "--stem", "false"],
      phrase: "--stem applies only with --preprocess true" },
    { d: "bad delimiter", args: ["tfidf", titles, "--text", "title", "--delimiter", "ab"], phrase: "--delimiter takes one character" },
  ];
  for (const c of cases) {
    test(c.d, () => {
      const args = c.file ? c.args.map((a) => (a === "{file}" ? write(c.file[0], c.file[1]) : a)) : c.args;
      const r = run(args, { input: c.input ?? "" });
      assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
      assert.ok(r.stderr.includes(c.phrase), `stderr lacks ${JSON.stringify(c.phrase)}:\n${r.stderr}`);
      assert.ok(r.stderr.startsWith("titleforest: "), r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, `more than one line:\n${r.stderr}`);
    });
  }

  test("no arguments: usage on stderr, exit 2", () => {
    const r = run([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: titleforest COMMAND/);
  });
});
