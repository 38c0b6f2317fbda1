// The page in Debian's Chromium (playwright-core), driven by the accessible names of DESIGN.md section 3.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TIMEOUT = 180_000;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function useExample(page) {
  await page.getByRole("button", { name: "Use example data" }).click();
  await page.getByLabel("Header row").fill("2");
  await page.getByLabel("Label column").locator("option", { hasText: "label" }).first().waitFor({ state: "attached" });
  await page.getByText(/positions-titled\.xlsx.*600 rows/).waitFor();
}

async function settings(page, values) {
  const details = page.locator("details.settings");
  if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
  for (const [name, value] of Object.entries(values)) await page.getByLabel(name, { exact: true }).fill(String(value));
}

describe("the page", { timeout: TIMEOUT }, () => {
  test("has the accessible names of DESIGN.md section 3", async () => {
    const page = await browser.newPage();
    const exact = { exact: true };
    const visible = [
      page.getByLabel("Spreadsheet", exact),
      page.getByRole("button", { name: "Use example data", ...exact }),
      page.getByRole("button", { name: "Train", ...exact }),
      page.getByRole("textbox", { name: "Job titles to classify", ...exact }),
      page.getByRole("button", { name: "Classify", ...exact }),
      page.getByRole("button", { name: "Download predictions", ...exact }),
      page.getByRole("button", { name: "Download model", ...exact }),
      page.getByLabel("Load model", exact),
    ];
    for (const l of visible) assert.equal(await l.count(), 1, String(l));
    assert.equal(await page.getByRole("alert").isVisible(), false);
    // keyboard: focus the button and press Enter
    await page.getByRole("button", { name: "Use example data" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(/positions-titled\.xlsx.*600 rows/).waitFor();
    await page.getByLabel("Header row").fill("2");
    await page.getByRole("checkbox", { name: "positions", exact: true }).waitFor();
    assert.equal(await page.getByRole("spinbutton", { name: "Header row", ...exact }).count(), 1);
    assert.equal(await page.getByRole("group", { name: "Text columns", ...exact }).count(), 1);
    assert.equal(await page.getByRole("combobox", { name: "Label column", ...exact }).count(), 1);
    await settings(page, { "Trees per forest": 10, "Max rounds": 1, "± trees per round": 0 });
    await page.getByRole("button", { name: "Train", ...exact }).click();
    const results = page.getByRole("region", { name: "Results", ...exact });
    await results.waitFor({ timeout: TIMEOUT });
    assert.equal(await results.getByRole("table", { name: "Wrong predictions", ...exact }).count(), 1);
    assert.equal(await results.getByRole("table", { name: "Correct predictions", ...exact }).count(), 1);
    await page.getByRole("button", { name: "Classify", ...exact }).click();
    assert.match(await page.getByRole("alert").textContent(), /at least one job title/);
    await page.close();
  });

  test("example data -> train -> metrics and both tables -> classify pasted titles", async () => {
    const page = await browser.newPage();
    await useExample(page);
    // header row 2 gives the real column names; the text and label columns are preselected
    assert.equal(await page.getByLabel("Label column").inputValue(), "label");
    const textColumns = page.getByRole("group", { name: "Text columns" });
    assert.equal(await textColumns.getByRole("checkbox", { name: "positions", exact: true }).isChecked(), true);
    await page.getByRole("table", { name: /Preview/ }).getByRole("cell", { name: "Patent Engineer" }).waitFor();

    await settings(page, { "Trees per forest": 40, "Max rounds": 3 });
    await page.getByRole("button", { name: "Train" }).click();
    const results = page.getByRole("region", { name: "Results" });
    await results.locator(".metric-name", { hasText: /^Accuracy$/ }).waitFor({ timeout: TIMEOUT });
    await results.locator(".metric-name", { hasText: /^V-measure$/ }).waitFor();
    await page.locator("#m-accuracy:not(:empty)").waitFor();
    const accuracy = Number(await page.locator("#m-accuracy").textContent());
    const vmeasure = Number(await page.locator("#m-vmeasure").textContent());
    assert.ok(accuracy > 0.5 && accuracy <= 1, `accuracy ${accuracy}`);
    assert.ok(vmeasure > 0 && vmeasure <= 1, `v-measure ${vmeasure}`);
    for (const name of ["Wrong predictions", "Correct predictions"]) {
      const table = page.getByRole("table", { name });
      const rows = await table.locator("tbody tr").count();
      assert.ok(rows > 1, `${name}: ${rows} rows`);
      assert.match(await table.locator("tbody th").first().textContent(), /\(\d+\)\s*→ actual/);
    }
    assert.ok((await page.locator("#confusion svg rect").count()) === 9, "a 3x3 confusion heatmap");
    assert.ok((await page.locator("#rounds-chart svg rect").count()) >= 1, "a bar per round");
    await page.getByText(/trained just now/).waitFor();

    await page.getByLabel("Job titles to classify").fill("VP of Engineering\n\nSenior Product Manager\nChief Financial Officer\n=HYPERLINK(\"x\")");
    await page.getByRole("button", { name: "Classify" }).click();
    const predictions = page.getByRole("table", { name: "Predictions", exact: true });
    await predictions.locator("tbody tr").first().waitFor();
    assert.equal(await predictions.locator("tbody tr").count(), 4);
    const firstLabel = await predictions.locator("tbody tr").first().locator("td").nth(1).textContent();
    assert.ok(["c-level", "engineer", "product"].includes(firstLabel), firstLabel);

    // downloads: predictions as CSV with formula cells neutralized, the model as JSON
    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download predictions" }).click(),
    ]);
    const csv = readFileSync(await csvDownload.path(), "utf8");
    assert.match(csv, /^title,label,p_c-level,p_engineer,p_product\r\n/);
    assert.match(csv, /\r\n"'=HYPERLINK\(""x""\)",/);
    assert.equal(await page.getByLabel("Model format").inputValue(), "binary"); // the default
    await page.getByLabel("Model format").selectOption("json");
    const [modelDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download model" }).click(),
    ]);
    const model = JSON.parse(readFileSync(await modelDownload.path(), "utf8"));
    assert.equal(model.format, "titleforest-model");

    // the downloaded model loads back through "Load model"
    await page.getByLabel("Load model").setInputFiles(await modelDownload.path());
    await page.getByText(/the loaded model/).waitFor();
    assert.equal(await page.getByRole("alert").isVisible(), false);

    // the binary format: CBOR (a map first), smaller, and it loads back too
    await page.getByLabel("Model format").selectOption("binary");
    const [binaryDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download model" }).click(),
    ]);
    assert.equal(binaryDownload.suggestedFilename(), "titleforest-model.tfm");
    const binary = readFileSync(await binaryDownload.path());
    assert.ok(binary[0] >= 0xa0 && binary[0] <= 0xbf, `CBOR map expected, got byte ${binary[0]}`);
    assert.ok(binary.length * 2 < readFileSync(await modelDownload.path()).length);
    await page.getByLabel("Load model").setInputFiles({ name: "m.tfm", mimeType: "application/octet-stream", buffer: binary });
    await page.getByText(/the loaded model m\.tfm/).waitFor();
    assert.equal(await page.getByRole("alert").isVisible(), false);
    assert.deepEqual(browser.errors.filter((e) => !/favicon/.test(e)), []);
    await page.close();
  });

  test("the best round can be refitted on all rows in parallel workers", async () => {
    const page = await browser.newPage();
    await useExample(page);
    await settings(page, { "Trees per forest": 30, "Max rounds": 2, "± trees per round": 5, Workers: 2 });
    await page.getByLabel("Then refit the best round's forest on all rows").check();
    await page.getByRole("button", { name: "Train" }).click();
    await page.getByText("the best round refitted on all rows").waitFor({ timeout: TIMEOUT });
    assert.match(await page.locator("#model-detail").textContent(), /on 600 rows/);
    await page.getByLabel("Job titles to classify").fill("Chief Operating Officer");
    await page.getByRole("button", { name: "Classify" }).click();
    await page.getByRole("table", { name: "Predictions", exact: true }).locator("tbody tr").first().waitFor();
    await page.close();
  });

  test("Cancel stops a long training and the page stays responsive", async () => {
    const page = await browser.newPage();
    await useExample(page);
    await settings(page, { "Trees per forest": 600, "Max rounds": 50, "Target V-measure": 1 });
    await page.getByRole("button", { name: "Train" }).click();
    const bar = page.getByRole("progressbar");
    await bar.waitFor();
    await page.waitForFunction(() => Number(document.querySelector("progress").value) > 0.0, null, { timeout: 60_000 });
    // the main thread answers while the worker trains
    const t0 = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(1))));
    assert.ok(Date.now() - t0 < 1000, "main thread responsive");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByText("Training cancelled.").waitFor({ timeout: 10_000 });
    assert.equal(await bar.isVisible(), false);
    assert.equal(await page.getByRole("button", { name: "Train" }).isEnabled(), true);
    assert.equal(await page.getByRole("alert").isVisible(), false);
    await page.close();
  });

  test("a bad file shows a clear alert; a too-large header row too", async () => {
    const page = await browser.newPage();
    await page.getByLabel("Spreadsheet").setInputFiles({
      name: "broken.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from("PK\u0003\u0004 this is not really a workbook"),
    });
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.textContent(), /broken\.xlsx/);

    await page.getByLabel("Spreadsheet").setInputFiles({
      name: "jobs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("title,label\nCTO,c-level\nDeveloper,engineer\n"),
    });
    await page.getByText(/jobs\.csv.*2 rows/).waitFor();
    assert.equal(await alert.isVisible(), false);
    // a bad parameter: the alert names the setting to change
    await settings(page, { "Trees per forest": 0 });
    await page.getByRole("button", { name: "Train", exact: true }).click();
    await page.getByText(/Trees per forest” under Settings/).waitFor();
    assert.match(await alert.textContent(), /n_estimators/);
    assert.equal(await page.getByLabel("Trees per forest", { exact: true }).getAttribute("aria-invalid"), "true");

    await page.getByLabel("Header row").fill("9");
    await page.getByText(/header|row 9|line/i).first().waitFor();
    await page.waitForFunction(() => /header|row/i.test(document.querySelector("#alert .alert-text").textContent) && !/Trees/.test(document.querySelector("#alert .alert-text").textContent));
    assert.equal(await page.getByRole("button", { name: "Train" }).isDisabled(), true);
    await page.close();
  });

  test("an uploaded .xlsx is converted in the page (first sheet)", async () => {
    const page = await browser.newPage();
    await page.getByLabel("Spreadsheet").setInputFiles(path.join(root, "models/persona/positions-titled.xlsx"));
    await page.getByText(/positions-titled\.xlsx \(spreadsheet, first sheet\)/).waitFor();
    await page.getByLabel("Header row").fill("2");
    await page.getByRole("checkbox", { name: "positions", exact: true }).waitFor();
    assert.equal(await page.getByLabel("Label column").inputValue(), "label");
    await page.getByRole("checkbox", { name: "source", exact: true }).check();
    assert.equal(await page.getByRole("checkbox", { name: "positions", exact: true }).isChecked(), true);
    await page.close();
  });

  test("many labels: no giant heatmap, the top 3 probabilities per title", async () => {
    const page = await browser.newPage();
    const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
    const lines = ["title\tcode"];
    for (let k = 0; k < 30; ++k) {
      for (let i = 0; i < 8; ++i) lines.push(`${words[k % 10]} ${words[Math.floor(k / 10) + 5]} specialist${k} staff ${i}\tcode-${k}`);
    }
    await page.getByLabel("Spreadsheet").setInputFiles({ name: "codes.tsv", mimeType: "text/tab-separated-values", buffer: Buffer.from(lines.join("\n")) });
    await page.getByText(/codes\.tsv.*240 rows/).waitFor();
    assert.equal(await page.getByLabel("Label column").inputValue(), "code");
    await settings(page, { "Trees per forest": 10, "Max rounds": 1, "± trees per round": 0 });
    await page.getByRole("button", { name: "Train", exact: true }).click();
    await page.getByText(/labels: too many to draw/).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator("#confusion svg").count(), 0);
    await page.getByText(/30 labels; 10 trees/).waitFor();
    await page.getByLabel("Job titles to classify").fill("alpha foxtrot specialist0 staff");
    await page.getByRole("button", { name: "Classify", exact: true }).click();
    const table = page.getByRole("table", { name: "Predictions", exact: true });
    await table.getByRole("columnheader", { name: "Most probable labels" }).waitFor();
    assert.equal(await table.locator("tbody tr").first().locator(".bar").count(), 3);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download predictions" }).click()]);
    assert.match(readFileSync(await download.path(), "utf8"), /^title,label,probability\r\n/);
    await page.close();
  });

  test("Classify uses the bundled default model before any training; a bad model file alerts", async () => {
    const page = await browser.newPage();
    await page.getByText("the bundled default model").first().waitFor();
    await page.getByLabel("Job titles to classify").fill("Chief Executive Officer\nSoftware Engineer");
    await page.getByRole("button", { name: "Classify" }).click();
    await page.getByRole("table", { name: "Predictions", exact: true }).locator("tbody tr").nth(1).waitFor();
    await page.getByLabel("Load model").setInputFiles({ name: "model.json", mimeType: "application/json", buffer: Buffer.from("{}") });
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.textContent(), /model\.json/);
    await page.close();
  });

  test("the <job-title-classifier> element labels typed text and fires classified", async () => {
    const page = await browser.newPage();
    const input = page.getByRole("textbox", { name: "Job title for the live classifier" });
    await input.waitFor();
    await page.waitForFunction(() => document.getElementById("demo-element").classifier !== null, null, { timeout: 30_000 });
    await input.fill("Chief Technology Officer");
    const label = await page.locator("job-title-classifier output").textContent();
    assert.ok(["c-level", "engineer", "product"].includes(label), label);
    await page.getByText(/"classified" event: “Chief Technology Officer”/).waitFor();
    // a second element on a blank document, with its model given by attribute
    const detail = await page.evaluate(async () => {
      const el = document.createElement("job-title-classifier");
      el.setAttribute("model", "../../models/persona/model.json");
      document.body.append(el);
      await el.ready;
      const got = new Promise((r) => el.addEventListener("classified", (e) => r(e.detail), { once: true }));
      el.value = "Product Owner";
      const d = await got;
      el.remove();
      return { ...d, disposed: el.classifier === null };
    });
    assert.equal(detail.text, "Product Owner");
    assert.ok(detail.label);
    assert.equal(detail.disposed, true);
    await page.close();
  });
});
