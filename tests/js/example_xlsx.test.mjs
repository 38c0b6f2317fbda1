// models/persona/positions-titled.xlsx (scripts/make_example_xlsx.mjs) holds the caption-row CSV exactly.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as XLSX from "@e965/xlsx";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("the example workbook: caption on row 1, header on row 2, the CSV's 600 rows as strings", () => {
  const book = XLSX.read(readFileSync(path.join(root, "models/persona/positions-titled.xlsx")));
  assert.equal(book.SheetNames.length, 1);
  const rows = XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]], { header: 1, raw: true, defval: "" });
  assert.match(rows[0][0], /^Example positions/);
  assert.deepEqual(rows[1], ["positions", "label", "onet_soc_code", "source"]);
  assert.equal(rows.length, 602);
  const csv = readFileSync(path.join(root, "models/persona/positions.csv"), "utf8").trim().split("\n");
  const simple = csv.slice(1).map((l, i) => [l, i]).filter(([l]) => !l.includes('"'));
  for (const [line, i] of simple) assert.deepEqual(rows[i + 2], line.replace(/\r$/, "").split(","), `row ${i + 3}`);
  for (const r of rows.slice(2)) for (const c of r) assert.equal(typeof c, "string");
});
