// The ClassifierError codes are one list: tf::ErrorCode in src/core/common/error.h, the union in
// web/lib/titleforest.d.ts and ERROR_CODES in web/lib/errors.js must name the same codes in the same order.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ClassifierError, ERROR_CODES, fromWire, toWire, unwrap } from "../../web/lib/errors.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (p) => readFileSync(path.join(root, p), "utf8");

function cppCodes() {
  const body = read("src/core/common/error.h").match(/enum\s+class\s+ErrorCode\s*\{([^}]*)\}/);
  assert.ok(body, "enum class ErrorCode not found in error.h");
  return body[1]
    .replace(/\/\/.*$/gm, "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function dtsCodes() {
  const m = read("web/lib/titleforest.d.ts").match(/export\s+type\s+ClassifierErrorCode\s*=([^;]*);/);
  assert.ok(m, "ClassifierErrorCode not found in titleforest.d.ts");
  return [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
}

test("error.h, titleforest.d.ts and errors.js list the same codes in the same order", () => {
  const cpp = cppCodes();
  assert.ok(cpp.length >= 7, cpp.join(","));
  assert.deepEqual(dtsCodes(), cpp);
  assert.deepEqual([...ERROR_CODES], cpp);
});

test("error.cpp spells every code as its enumerator name", () => {
  const src = read("src/core/common/error.cpp");
  for (const code of cppCodes()) assert.match(src, new RegExp(`"${code}"`), code);
});

test("ClassifierError keeps code, where and cause; unknown codes become internal", () => {
  const cause = new Error("inner");
  const e = new ClassifierError("bad_input", "The file is empty.", { where: "jobs.csv", cause });
  assert.ok(e instanceof Error);
  assert.equal(e.name, "ClassifierError");
  assert.equal(e.code, "bad_input");
  assert.equal(e.where, "jobs.csv");
  assert.equal(e.cause, cause);
  assert.equal(new ClassifierError("nope", "x").code, "internal");
  assert.deepEqual(JSON.parse(JSON.stringify(e)), { name: "ClassifierError", code: "bad_input", message: "The file is empty.", where: "jobs.csv" });
});

test("unwrap, toWire and fromWire", () => {
  assert.deepEqual(unwrap({ a: 1 }), { a: 1 });
  assert.throws(() => unwrap({ error: { code: "model_format", message: "Not ours.", where: "m.json" } }), (e) =>
    e instanceof ClassifierError && e.code === "model_format" && e.where === "m.json");
  assert.deepEqual(toWire(new TypeError("boom")), { code: "internal", message: "boom", where: "" });
  const back = fromWire(toWire(new ClassifierError("cancelled", "Stopped.", { where: "signal" })));
  assert.equal(back.code, "cancelled");
  assert.equal(back.where, "signal");
});
