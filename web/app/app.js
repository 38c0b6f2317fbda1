// The page: imports web/lib only (plus @e965/xlsx, lazily, for Excel files). Every piece of user data is
// rendered with textContent or SVG text nodes, never innerHTML.
import { Classifier, ClassifierError, readTable, trainClassifier } from "../lib/titleforest.js";
import "../lib/job-title-classifier.js";

const XLSX_URL = new URL("../../node_modules/@e965/xlsx/xlsx.mjs", import.meta.url);
const EXAMPLE_URL = new URL("../../models/persona/positions-titled.xlsx", import.meta.url);
const DEFAULT_MODEL_URL = new URL("../../models/persona/model.tfm", import.meta.url); // binary: a third of model.json

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k in e && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const pct = (x) => `${(100 * x).toFixed(1)} %`;
const fixed = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");

const state = {
  csv: null, // string or Uint8Array handed to the core
  source: "", // file name for messages
  table: null, // {columns, n_rows, preview, ...}
  controller: null, // AbortController of the running training
  trained: null, // Classifier from the last training
  loaded: null, // Classifier from "Load model"
  loadedName: "",
  defaultModel: null, // Promise<Classifier> of the bundled model
  active: null, // the Classifier "Classify" uses
  activeName: "",
  predictions: null, // [{title, label, probabilities}]
  lastParams: null,
};

// ---- alert region --------------------------------------------------------------------------------

// core parameter -> the Settings field that sets it, to point at it in messages
const SETTING_FIELDS = {
  "forest.n_estimators": "p-trees",
  "search.n_estimators_spread": "p-spread",
  "search.max_rounds": "p-rounds",
  "search.target_v_measure": "p-target",
  "split.test_size": "p-test",
  "split.random_state": "p-seed",
  "search.random_state": "p-seed",
  "search.select_on": "p-select",
};

function showError(e, context) {
  const alert = $("alert");
  let text;
  if (e instanceof ClassifierError) {
    text = e.message;
    if (e.where && !text.includes(e.where)) text += ` (at ${e.where})`;
    const field = Object.entries(SETTING_FIELDS).find(([key]) => e.where === key || e.where?.startsWith(key + "."))?.[1];
    if (field) {
      const label = document.querySelector(`label[for="${field}"]`)?.textContent;
      text += ` Change “${label}” under Settings.`;
      $(field).closest("details").open = true;
      $(field).setAttribute("aria-invalid", "true");
      $(field).addEventListener("input", () => $(field).removeAttribute("aria-invalid"), { once: true });
    }
  } else {
    text = e?.message ? String(e.message) : String(e);
  }
  alert.querySelector(".alert-text").textContent = context ? `${context}: ${text}` : text;
  alert.hidden = false;
  if (!(e instanceof ClassifierError)) console.error(e);
}
function clearError() {
  $("alert").hidden = true;
  $("alert").querySelector(".alert-text").textContent = "";
}
$("alert").querySelector(".alert-close").addEventListener("click", clearError);

// ---- data: files, xlsx, header row, columns, preview ----------------------------------------------

const isExcel = (name, bytes) => {
  if (/\.(xlsx|xlsm|xlsb|xls|ods)$/i.test(name)) return true;
  // zip (xlsx/ods) or OLE2 (xls) signatures
  return (
    bytes.length > 4 &&
    ((bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) ||
      (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0))
  );
};

let xlsxModule = null;
async function excelToCsv(bytes, name) {
  xlsxModule ??= import(XLSX_URL.href).catch((e) => {
    xlsxModule = null;
    throw new ClassifierError("internal", `The spreadsheet reader could not be loaded: ${e.message}`);
  });
  const XLSX = await xlsxModule;
  let book;
  try {
    book = XLSX.read(bytes, { type: "array", dense: false, cellDates: false });
  } catch (e) {
    throw new ClassifierError("bad_input", `${name} is not a readable spreadsheet: ${e.message}`, { where: name });
  }
  const first = book.SheetNames[0];
  const sheet = first && book.Sheets[first];
  if (!sheet || !sheet["!ref"]) throw new ClassifierError("bad_input", `The first sheet of ${name} is empty.`, { where: name });
  // start at A1 so that "Header row" counts the sheet's own row numbers
  const range = XLSX.utils.decode_range(sheet["!ref"]);
  sheet["!ref"] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: range.e });
  return XLSX.utils.sheet_to_csv(sheet, { FS: ",", RS: "\n", blankrows: true, strip: false, rawNumbers: true });
}

async function useBytes(bytes, name, headerRow) {
  clearError();
  $("file-status").textContent = `Reading ${name}…`;
  try {
    let csv = bytes;
    let kind = "CSV/TSV";
    if (isExcel(name, bytes)) {
      csv = await excelToCsv(bytes, name);
      kind = "spreadsheet, first sheet";
    }
    state.csv = csv;
    state.source = name;
    if (headerRow !== undefined) $("header-row").value = String(headerRow);
    await refreshTable();
    if (state.table) {
      const t = state.table;
      const notes = [];
      if (t.blank_rows) notes.push(`${t.blank_rows} blank row(s) skipped`);
      if (t.invalid_utf8) notes.push(`${t.invalid_utf8} byte(s) that are not UTF-8 replaced by �`);
      $("file-status").textContent =
        `${name} (${kind}): ${t.n_rows} rows, ${t.columns.length} columns` + (notes.length ? ` (${notes.join("; ")}).` : ".");
    }
  } catch (e) {
    state.csv = null;
    state.table = null;
    $("columns-panel").hidden = true;
    $("file-status").textContent = "";
updateTrainButton();
    showError(e, `Could not read ${name}`);
  }
}

function headerRow() {
  const v = Number($("header-row").value);
  return Number.isInteger(v) && v >= 1 ? v : NaN;
}

async function refreshTable() {
  if (!state.csv) return;
  const h = headerRow();
  if (!Number.isFinite(h)) {
    showError(new ClassifierError("invalid_parameter", "The header row must be a whole number of 1 or more.", { where: "Header row" }));
    return;
  }
  const previous = { text: selectedTextColumns(), label: $("label-column").value };
  try {
    state.table = await readTable(state.csv, { headerRow: h, source: state.source, previewRows: 6 });
  } catch (e) {
    state.table = null;
    $("columns-panel").hidden = false;
    fillColumns([], previous);
    renderPreview(null);
updateTrainButton();
    throw e;
  }
  clearError();
  $("columns-panel").hidden = false;
  fillColumns(state.table.columns, previous);
  renderPreview(state.table);
updateTrainButton();
}

function fillColumns(columns, previous) {
  const list = $("text-columns").querySelector(".check-list");
  list.replaceChildren();
  const guessText = previous.text.filter((c) => columns.includes(c));
  if (!guessText.length) {
    const g = columns.find((c) => /^(positions?|titles?|job.?titles?|text)$/i.test(c.trim())) ?? columns[0];
    if (g !== undefined) guessText.push(g);
  }
  columns.forEach((name, i) => {
    const id = `text-col-${i}`;
    const box = el("input", { type: "checkbox", id, value: name });
    box.checked = guessText.includes(name);
    box.addEventListener("change", updateTrainButton);
    list.append(el("label", { for: id }, box, el("span", { text: name || `(column ${i + 1})` })));
  });
  const select = $("label-column");
  select.replaceChildren();
  columns.forEach((name) => select.append(el("option", { value: name, text: name || "(unnamed)" })));
  const guessLabel = columns.includes(previous.label)
    ? previous.label
    : columns.find((c) => /^(label|class|category|persona|target)$/i.test(c.trim())) ?? columns[columns.length - 1];
  if (guessLabel !== undefined) select.value = guessLabel;
}

function selectedTextColumns() {
  return [...$("text-columns").querySelectorAll("input[type=checkbox]")].filter((b) => b.checked).map((b) => b.value);
}

function renderPreview(table) {
  const thead = $("preview").tHead;
  const tbody = $("preview").tBodies[0];
  thead.replaceChildren();
  tbody.replaceChildren();
  if (!table) return;
  thead.append(el("tr", {}, ...table.columns.map((c) => el("th", { scope: "col", text: c }))));
  for (const row of table.preview) tbody.append(el("tr", {}, ...row.map((c) => el("td", { text: c, title: c }))));
  $("preview-caption").textContent = `Preview (first ${table.preview.length} of ${table.n_rows} rows)`;
}

function updateTrainButton() {
  const ok = !!state.table && selectedTextColumns().length > 0 && $("label-column").value !== "";
  $("train").disabled = !ok || !!state.controller;
}

$("spreadsheet").addEventListener("change", async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  await useBytes(bytes, file.name);
});

$("example").addEventListener("click", async () => {
  clearError();
  try {
    const r = await fetch(EXAMPLE_URL);
    if (!r.ok) throw new ClassifierError("bad_input", `The example data could not be fetched (HTTP ${r.status}).`, { where: EXAMPLE_URL.pathname });
    await useBytes(new Uint8Array(await r.arrayBuffer()), "positions-titled.xlsx", 2);
  } catch (e) {
    showError(e, "Could not load the example data");
  }
});

let headerTimer = 0;
$("header-row").addEventListener("input", () => {
  clearTimeout(headerTimer);
  headerTimer = setTimeout(() => refreshTable().catch((e) => showError(e, "Header row")), 150);
});
$("label-column").addEventListener("change", updateTrainButton);

// ---- training ------------------------------------------------------------------------------------

function numberField(id, name, { integer = false } = {}) {
  const v = Number($(id).value);
  if ($(id).value.trim() === "" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ClassifierError("invalid_parameter", `"${name}" must be ${integer ? "a whole number" : "a number"}.`, { where: name });
  }
  return v;
}

function readParams() {
  return {
    forest: { n_estimators: numberField("p-trees", "Trees per forest", { integer: true }) },
    split: {
      test_size: numberField("p-test", "Test share"),
      random_state: numberField("p-seed", "Random state", { integer: true }),
    },
    search: {
      max_rounds: numberField("p-rounds", "Max rounds", { integer: true }),
      n_estimators_spread: numberField("p-spread", "± trees per round", { integer: true }),
      target_v_measure: numberField("p-target", "Target V-measure"),
      select_on: $("p-select").value,
      random_state: numberField("p-seed", "Random state", { integer: true }),
    },
  };
}

function setTraining(on) {
  $("cancel").hidden = !on;
  $("progress-wrap").hidden = !on;
  $("example").disabled = on;
  $("spreadsheet").disabled = on;
  $("header-row").disabled = on;
updateTrainButton();
}

function onProgress(p) {
  $("progress").value = p.overall ?? p.fraction ?? 0;
  const round = `Round ${p.round} of at most ${p.max_rounds}`;
  if (p.kind === "round") {
    $("progress-text").textContent = `${round}: ${p.n_estimators} trees (${p.criterion}), V-measure ${fixed(p.v_measure)}`;
  } else {
    const stage = p.stage === "forest" && p.trees ? `${p.trees} tree${p.trees === 1 ? "" : "s"} grown` : p.stage;
    $("progress-text").textContent = `${round} · ${stage} · ${Math.round(100 * (p.overall ?? 0))} %`;
  }
}

$("train").addEventListener("click", async () => {
  clearError();
  let params;
  try {
    params = readParams();
  } catch (e) {
    return showError(e, "Settings");
  }
  const text = selectedTextColumns();
  const label = $("label-column").value;
  try {
    if ($("p-refit").checked) numberField("p-workers", "Workers", { integer: true });
  } catch (e) {
    return showError(e, "Settings");
  }
  state.controller = new AbortController();
  state.lastParams = params;
  setTraining(true);
  $("progress").value = 0;
  $("progress-text").textContent = "Starting…";
  $("train-status").textContent = `Training on ${state.source} (text: ${text.join(" + ")}; label: ${label})…`;
  const started = performance.now();
  try {
    const { classifier, report } = await trainClassifier({
      csv: state.csv,
      text,
      label,
      headerRow: headerRow(),
      source: state.source,
      params,
      onProgress,
      signal: state.controller.signal,
    });
    const best = report.rounds?.[report.best_round ?? -1] ?? bestRound(report);
    renderResults(report, params);
    let model = classifier;
    let name = "the model trained just now";
    let detail = best ? `best of ${report.rounds.length} search round(s): round ${best.round}, ${best.criterion}` : "";
    if ($("p-refit").checked && best) {
      // the best round's forest settings, fitted on every row, its trees split over several workers
      const workers = numberField("p-workers", "Workers", { integer: true });
      $("progress").value = 0;
      $("progress-text").textContent = `Refitting on all rows in ${workers} workers…`;
      const refit = await trainClassifier({
        csv: state.csv,
        text,
        label,
        headerRow: headerRow(),
        source: state.source,
        params: { ...params, forest: { ...params.forest, n_estimators: best.n_estimators, criterion: best.criterion, random_state: params.search.random_state } },
        evaluate: false,
        workers,
        onProgress: (p) => {
          $("progress").value = p.overall;
          $("progress-text").textContent = `Refitting on all rows in ${p.workers ?? 1} worker(s) · ${Math.round(100 * p.overall)} %`;
        },
        signal: state.controller.signal,
      }).catch((e) => {
        classifier.dispose();
        throw e;
      });
      classifier.dispose();
      model = refit.classifier;
      name = "the best round refitted on all rows";
      detail = `round ${best.round}'s ${best.n_estimators} trees (${best.criterion}) on ${refit.report.n_train} rows`;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    state.trained?.dispose();
    state.trained = model;
    setActive(model, name, detail);
    $("train-status").textContent = `Trained in ${seconds} s: ${report.rounds?.length ?? 0} round(s), ${report.n_train} training rows.`;
  } catch (e) {
    if (e instanceof ClassifierError && e.code === "cancelled") {
      $("train-status").textContent = "Training cancelled.";
    } else {
      $("train-status").textContent = "";
      showError(e, "Training failed");
    }
  } finally {
    state.controller = null;
    setTraining(false);
  }
});

$("cancel").addEventListener("click", () => state.controller?.abort());

function bestRound(report) {
  if (!report.rounds?.length) return null;
  return report.rounds.reduce((a, b) => (b.v_measure > a.v_measure ? b : a));
}

// ---- results -------------------------------------------------------------------------------------

function renderResults(r, params) {
  $("results").hidden = false;
  $("m-accuracy").textContent = fixed(r.accuracy);
  $("m-vmeasure").textContent = fixed(r.v_measure);
  $("m-homogeneity").textContent = fixed(r.homogeneity);
  $("m-completeness").textContent = fixed(r.completeness);
  $("m-rows").textContent = `${r.n_train} / ${r.n_test}`;
  const selectOn = params?.search?.select_on ?? "test";
  $("leak-note").textContent =
    selectOn === "test"
      ? "Note: as in the notebook, the best round was chosen by its V-measure on the test set, so these test scores are optimistic (the test set leaked into model selection). Under Settings, choose “a validation split of the training rows” for an honest estimate."
      : "The best round was chosen on a validation split of the training rows; the test set was used only for these scores.";
  const dropped = [];
  if (r.dropped_empty_label) dropped.push(`${r.dropped_empty_label} row(s) without a label`);
  if (r.dropped_empty_text) dropped.push(`${r.dropped_empty_text} row(s) whose text is empty after normalization`);
  $("dropped-note").textContent = dropped.length ? `Skipped: ${dropped.join("; ")}.` : "";

  const labels = r.labels ?? [];
  $("confusion").replaceChildren(
    labels.length <= MAX_MATRIX_LABELS
      ? confusionSvg(labels, r.confusion_matrix ?? [])
      : el("p", { class: "hint", text: `${labels.length} labels: too many to draw. ${(r.confusion_matrix ?? []).reduce((a, row, i) => a + (row[i] ?? 0), 0)} of ${r.n_test} test rows are on the diagonal.` }),
  );
  const best = r.rounds?.[r.best_round ?? -1] ?? bestRound(r);
  $("rounds-chart").replaceChildren(roundsSvg(r.rounds ?? [], best, params?.search?.target_v_measure ?? 0.8));

  const tbody = $("rounds").tBodies[0];
  tbody.replaceChildren();
  for (const x of r.rounds ?? []) {
    const tr = el(
      "tr",
      {},
      el("td", { class: "num", text: String(x.round) }),
      el("td", { text: x.criterion }),
      el("td", { class: "num", text: String(x.n_estimators) }),
      el("td", { class: "num", text: fixed(x.accuracy) }),
      el("td", { class: "num", text: fixed(x.v_measure) }),
    );
    if (x === best) tr.setAttribute("aria-current", "true"), (tr.style.fontWeight = "700");
    tbody.append(tr);
  }
  renderGroups($("wrong"), r.wrong ?? [], "No wrong predictions.");
  renderGroups($("correct"), r.correct ?? [], "No correct predictions.");
}

const MAX_GROUP_ROWS = 300; // rows shown per group (the page stays fast on large test sets)
const MAX_MATRIX_LABELS = 25; // larger confusion matrices are not drawn
const MAX_LABEL_COLUMNS = 6; // more labels: the predictions table shows the top 3 instead of one column each

// One tbody per predicted label: a header row "label (count) → actual: n, ..." then its rows.
function renderGroups(table, groups, emptyText) {
  for (const b of [...table.tBodies]) b.remove();
  if (!groups.length) {
    table.append(el("tbody", { class: "empty-row" }, el("tr", {}, el("td", { colSpan: 4, text: emptyText }))));
    return;
  }
  for (const g of groups) {
    const counts = g.actual_counts.map(([label, n]) => `${label}: ${n}`).join(", ");
    const head = el(
      "tr",
      {},
      el(
        "th",
        { colSpan: 4, scope: "rowgroup" },
        el("span", { text: `${g.predicted} (${g.count})` }),
        el("span", { class: "group-counts", text: `→ actual ${counts}` }),
      ),
    );
    const body = el("tbody", {}, head);
    for (const row of g.rows.slice(0, MAX_GROUP_ROWS)) {
      body.append(
        el(
          "tr",
          {},
          el("td", { text: row.text }),
          el("td", { class: "norm", text: row.normalized }),
          el("td", { text: row.actual }),
          el("td", { text: row.predicted }),
        ),
      );
    }
    if (g.rows.length > MAX_GROUP_ROWS) {
      body.append(el("tr", { class: "more-row" }, el("td", { colSpan: 4, text: `… and ${g.rows.length - MAX_GROUP_ROWS} more rows in this group` })));
    }
    table.append(body);
  }
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function confusionSvg(labels, m) {
  const n = labels.length;
  const longest = Math.max(4, ...labels.map((l) => short(l).length));
  const cell = n > 8 ? 40 : Math.min(104, Math.max(60, 8 * longest + 12));
  const left = Math.min(130, 8 * longest + 24);
  const top = 56;
  const w = left + n * cell + 10;
  const h = top + n * cell + 10;
  const max = Math.max(1, ...m.flat());
  const summary = labels
    .map((a, i) => `actual ${a}: ${labels.map((p, j) => `${m[i]?.[j] ?? 0} predicted ${p}`).join(", ")}`)
    .join("; ");
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": `Confusion matrix. ${summary}` });
  root.append(svg("text", { x: left + (n * cell) / 2, y: 14, "text-anchor": "middle", "font-size": 12, fill: "#5b6472" }, "predicted →"));
  labels.forEach((p, j) => {
    root.append(
      svg("text", { x: left + j * cell + cell / 2, y: top - 10, "text-anchor": "middle", "font-size": 12, "font-weight": 600, fill: "#1d2330" }, short(p)),
    );
  });
  labels.forEach((a, i) => {
    root.append(
      svg("text", { x: left - 8, y: top + i * cell + cell / 2 + 4, "text-anchor": "end", "font-size": 12, "font-weight": 600, fill: "#1d2330" }, short(a)),
    );
    labels.forEach((p, j) => {
      const v = m[i]?.[j] ?? 0;
      const t = v / max;
      const diag = i === j;
      // diagonal in green, errors in red; intensity = count / max
      const color = diag ? mix([255, 255, 255], [47, 125, 79], t) : mix([255, 255, 255], [180, 35, 24], t);
      const g = svg("g");
      g.append(svg("title", {}, `actual ${a}, predicted ${p}: ${v}`));
      g.append(svg("rect", { x: left + j * cell + 1, y: top + i * cell + 1, width: cell - 2, height: cell - 2, rx: 4, fill: color, stroke: "#dfe3ea" }));
      g.append(
        svg(
          "text",
          { x: left + j * cell + cell / 2, y: top + i * cell + cell / 2 + 5, "text-anchor": "middle", "font-size": 14, "font-weight": 600, fill: t > 0.55 ? "#fff" : "#1d2330" },
          String(v),
        ),
      );
      root.append(g);
    });
  });
  root.append(svg("text", { x: 10, y: top + (n * cell) / 2, "font-size": 12, fill: "#5b6472", transform: `rotate(-90 10 ${top + (n * cell) / 2})`, "text-anchor": "middle", dy: 4 }, "actual"));
  return root;
}

const short = (s) => (s.length > 14 ? s.slice(0, 13) + "…" : s);
function mix(a, b, t) {
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * Math.min(1, Math.max(0, t))));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function roundsSvg(rounds, best, target) {
  const n = Math.max(1, rounds.length);
  const barW = Math.max(14, Math.min(44, 320 / n));
  const gap = 8;
  const left = 40;
  const top = 14;
  const hgt = 150;
  const w = Math.max(280, left + n * (barW + gap) + 20);
  const h = top + hgt + 34;
  const y = (v) => top + hgt * (1 - Math.max(0, Math.min(1, v)));
  const summary = rounds.map((r) => `round ${r.round} ${fixed(r.v_measure)}`).join(", ");
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": `V-measure per round: ${summary}` });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    root.append(svg("line", { x1: left - 4, x2: w - 10, y1: y(v), y2: y(v), stroke: "#e8ebf0" }));
    root.append(svg("text", { x: left - 8, y: y(v) + 4, "text-anchor": "end", "font-size": 10, fill: "#5b6472" }, v.toFixed(2)));
  }
  rounds.forEach((r, i) => {
    const x = left + i * (barW + gap) + gap / 2;
    const g = svg("g");
    g.append(svg("title", {}, `round ${r.round}: ${r.n_estimators} trees, ${r.criterion}, V-measure ${fixed(r.v_measure)}, accuracy ${fixed(r.accuracy)}`));
    g.append(svg("rect", { x, y: y(r.v_measure), width: barW, height: Math.max(1, top + hgt - y(r.v_measure)), rx: 3, fill: r === best ? "#2f7d4f" : "#9cc5ad" }));
    g.append(svg("text", { x: x + barW / 2, y: top + hgt + 14, "text-anchor": "middle", "font-size": 11, fill: "#1d2330" }, String(r.round)));
    root.append(g);
  });
  root.append(svg("line", { x1: left - 4, x2: w - 10, y1: y(target), y2: y(target), stroke: "#b42318", "stroke-dasharray": "5 4" }));
  root.append(svg("text", { x: w - 12, y: y(target) - 4, "text-anchor": "end", "font-size": 10, fill: "#b42318" }, `target ${target}`));
  root.append(svg("text", { x: left + (w - left - 10) / 2, y: h - 4, "text-anchor": "middle", "font-size": 11, fill: "#5b6472" }, "round (best in dark green)"));
  return root;
}

// ---- models and classification -------------------------------------------------------------------

function setActive(clf, name, detail = "") {
  state.active = clf;
  state.activeName = name;
  $("model-name").textContent = name;
  const info = clf?.info;
  const parts = [];
  if (detail) parts.push(detail);
  if (info) {
    const labels = info.labels.length <= 8 ? `labels: ${info.labels.join(", ")}` : `${info.labels.length} labels`;
    parts.push(labels, `${info.n_trees} trees`, `${info.n_features} features`);
  }
  $("model-detail").textContent = parts.length ? `(${parts.join("; ")})` : "";
}

async function activeModel() {
  if (state.active) return state.active;
  state.defaultModel ??= Classifier.load(DEFAULT_MODEL_URL.href).catch((e) => {
    state.defaultModel = null;
    throw new ClassifierError(
      e.code ?? "bad_input",
      `The bundled default model (models/persona/model.tfm) could not be loaded — ${e.message} Train a model or load one first.`,
      { where: "models/persona/model.tfm" },
    );
  });
  const clf = await state.defaultModel;
  if (!state.active) setActive(clf, "the bundled default model", "models/persona/model.tfm");
  return state.active;
}

$("classify").addEventListener("click", async () => {
  clearError();
  const titles = $("titles")
    .value.split(/\r?\n/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (!titles.length) {
    showError(new ClassifierError("bad_input", "Type or paste at least one job title, one per line.", { where: "Job titles to classify" }));
    $("titles").focus();
    return;
  }
  try {
    const clf = await activeModel();
    const preds = clf.predict(titles);
    state.predictions = titles.map((title, i) => ({ title, ...preds[i] }));
    state.predictionLabels = [...clf.labels];
    renderPredictions(clf.labels, state.predictions);
    $("download-predictions").disabled = false;
  } catch (e) {
    showError(e, "Could not classify");
  }
});

function probabilityBar(label, p, best, showLabel) {
  const fill = el("div", { class: "bar-fill" });
  fill.style.width = `${(100 * p).toFixed(1)}%`;
  return el(
    "span",
    { class: `bar${best ? " best" : ""}`, "aria-label": `${label}: ${(100 * p).toFixed(0)} percent`, role: "img" },
    showLabel ? el("span", { class: "bar-label", text: label }) : null,
    el("span", { class: "bar-track" }, fill),
    el("span", { class: "bar-num", text: `${(100 * p).toFixed(0)}%` }),
  );
}

function renderPredictions(labels, rows) {
  const table = $("predictions");
  table.hidden = false;
  const wide = labels.length <= MAX_LABEL_COLUMNS; // one column per label, else the top 3
  table.tHead.replaceChildren(
    el(
      "tr",
      {},
      el("th", { scope: "col", text: "Title" }),
      el("th", { scope: "col", text: "Label" }),
      ...(wide
        ? labels.map((l) => el("th", { scope: "col", text: `P(${l})` }))
        : [el("th", { scope: "col", text: "Most probable labels" })]),
    ),
  );
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  for (const r of rows) {
    const cells = wide
      ? labels.map((l) => el("td", { class: l === r.label ? "best" : "" }, probabilityBar(l, r.probabilities[l] ?? 0, false, false)))
      : [
          el(
            "td",
            {},
            el(
              "div",
              { class: "top3" },
              ...Object.entries(r.probabilities)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 3)
                .map(([l, p]) => probabilityBar(l, p, l === r.label, true)),
            ),
          ),
        ];
    tbody.append(el("tr", {}, el("td", { text: r.title }), el("td", {}, el("span", { class: "label-pill", text: r.label })), ...cells));
  }
}

// CSV cells that spreadsheets would run as formulas get a leading apostrophe (DESIGN.md section 4).
export function csvCell(v) {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$("download-predictions").addEventListener("click", () => {
  if (!state.predictions?.length) return;
  const labels = state.predictionLabels;
  const wide = labels.length <= MAX_LABEL_COLUMNS; // else: the chosen label's probability only, as the CLI writes
  const header = wide ? ["title", "label", ...labels.map((l) => `p_${l}`)] : ["title", "label", "probability"];
  const lines = [header.map(csvCell).join(",")];
  for (const r of state.predictions) {
    const ps = wide ? labels.map((l) => (r.probabilities[l] ?? 0).toFixed(6)) : [(r.probabilities[r.label] ?? 0).toFixed(6)];
    lines.push([r.title, r.label, ...ps].map(csvCell).join(","));
  }
  download(lines.join("\r\n") + "\r\n", "predictions.csv", "text/csv;charset=utf-8");
});

$("download-model").addEventListener("click", async () => {
  clearError();
  try {
    const clf = await activeModel();
    if ($("model-format").value === "binary") {
      download(clf.toBytes("binary"), "titleforest-model.tfm", "application/octet-stream");
    } else {
      download(clf.toBytes("json"), "titleforest-model.json", "application/json");
    }
  } catch (e) {
    showError(e, "Could not download the model");
  }
});

$("load-model").addEventListener("change", async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  clearError();
  try {
    const clf = await Classifier.load(new Uint8Array(await file.arrayBuffer()));
    state.loaded?.dispose();
    state.loaded = clf;
    setActive(clf, `the loaded model ${file.name}`);
  } catch (e) {
    showError(e, `Could not load the model ${file.name}`);
  } finally {
    ev.target.value = "";
  }
});

// ---- the web component demo ----------------------------------------------------------------------

const demo = $("demo-element");
demo.addEventListener("classified", (e) => {
  const { text, label, probabilities } = e.detail;
  $("element-log").textContent = `"classified" event: “${text}” → ${label} (${Math.round(100 * probabilities[label])} %)`;
});
demo.addEventListener("error", (e) => {
  $("element-log").textContent = `The component could not load its model: ${e.detail?.message ?? e.detail}`;
});

// show which model "Classify" will use, without blocking the page
activeModel().catch(() => {
  $("model-name").textContent = "none yet";
  $("model-detail").textContent = "(the bundled default model is not available: train a model or load one)";
});
$("p-workers").value = String(Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)));
updateTrainButton();
