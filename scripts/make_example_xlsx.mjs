#!/usr/bin/env node
// Writes models/persona/positions-titled.xlsx from models/persona/positions-titled.csv with @e965/xlsx:
// one sheet, the caption on row 1 (merged across the columns), the header on row 2, every cell a string.
// This is the file the page's "Use example data" button loads (header row 2, like the notebook's
// pd.read_excel(path, header=1)).   node scripts/make_example_xlsx.mjs [in.csv] [out.xlsx]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as XLSX from "@e965/xlsx";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const input = process.argv[2] ?? path.join(root, "models/persona/positions-titled.csv");
const output = process.argv[3] ?? path.join(root, "models/persona/positions-titled.xlsx");

/** RFC 4180 records (quotes, embedded newlines, CRLF); the file is ours, so no sniffing is needed. */
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        ++i;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") ++i;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const rows = parseCsv(readFileSync(input, "utf8"));
const width = Math.max(...rows.map((r) => r.length));
const caption = rows[0].filter((c) => c !== "").join(" ");
const aoa = [[caption], ...rows.slice(1)];
const sheet = XLSX.utils.aoa_to_sheet(aoa);
// strings stay strings (O*NET-SOC codes such as 17-2199.06 must not become numbers or dates)
for (const [ref, cell] of Object.entries(sheet)) {
  if (!ref.startsWith("!") && cell.t !== "s") {
    cell.t = "s";
    cell.v = String(cell.v);
  }
}
sheet["!merges"] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: width - 1 } }];
sheet["!cols"] = [{ wch: 48 }, { wch: 10 }, { wch: 12 }, { wch: 28 }];
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, sheet, "positions");
book.Props = { Title: "Example positions", CreatedDate: new Date("2024-01-01T00:00:00Z") };
const bytes = XLSX.write(book, { type: "buffer", bookType: "xlsx", compression: true });
writeFileSync(output, bytes);

// check: reading it back gives the CSV's cells
const back = XLSX.utils.sheet_to_json(XLSX.read(readFileSync(output)).Sheets.positions, { header: 1, raw: false, defval: "" });
const same = back.length === aoa.length && back.slice(1).every((r, i) => r.join("\u0001") === aoa[i + 1].join("\u0001"));
if (!same) {
  console.error("make_example_xlsx: the written workbook does not read back as the CSV");
  process.exit(1);
}
console.log(`wrote ${path.relative(root, output)}: ${aoa.length - 2} data rows, header on row 2 (${bytes.length} bytes)`);
