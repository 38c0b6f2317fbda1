// scripts/serve.mjs: redirect, MIME types, no traversal, no dot-files.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, resolvePath, startServer } from "../../scripts/serve.mjs";

let server, base;
before(async () => {
  ({ server, url: base } = await startServer({ port: 0 }));
});
after(() => new Promise((r) => server.close(r)));

const get = (p, init) => fetch(new URL(p, base), { redirect: "manual", ...init });

test("/ redirects to the page", async () => {
  const r = await get("/");
  assert.equal(r.status, 302);
  assert.equal(r.headers.get("location"), "/web/app/");
});

test("serves files with the right MIME types", async () => {
  const cases = [
    ["/web/app/", "text/html"],
    ["/web/app/app.js", "text/javascript"],
    ["/web/app/style.css", "text/css"],
    ["/models/persona/positions.csv", "text/csv"],
    ["/models/persona/positions-titled.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["/package.json", "application/json"],
  ];
  for (const [p, type] of cases) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.ok(r.headers.get("content-type").startsWith(type), `${p}: ${r.headers.get("content-type")}`);
    await r.arrayBuffer();
  }
});

test("serves .wasm as application/wasm and .mjs as JavaScript", async () => {
  const r = await get("/web/lib/wasm/titleforest.wasm");
  assert.equal(r.status, 200, "web/lib/wasm is not built (npm test builds it first)");
  assert.equal(r.headers.get("content-type"), "application/wasm");
  await r.arrayBuffer();
  const m = await get("/web/lib/wasm/titleforest.mjs");
  assert.ok(m.headers.get("content-type").startsWith("text/javascript"));
  await m.arrayBuffer();
});

test("never leaves the root and hides dot-files", async () => {
  for (const p of ["/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/.git/config", "/web/%00x", "/%E0%A4%A"]) {
    const r = await get(p);
    assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
    await r.arrayBuffer();
  }
  assert.equal(resolvePath(ROOT, "/../../etc/passwd"), path.join(ROOT, "etc/passwd"));
  assert.equal(resolvePath(ROOT, "/.git/HEAD"), null);
  assert.equal(resolvePath(ROOT, "/%2e%2e/x"), path.join(ROOT, "x"));
});

test("does not follow symbolic links out of the root", async () => {
  const { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), "serve-root-")));
  const outside = realpathSync(mkdtempSync(path.join(tmpdir(), "serve-outside-")));
  writeFileSync(path.join(root, "inside.txt"), "in");
  writeFileSync(path.join(outside, "secret.txt"), "out");
  symlinkSync(path.join(outside, "secret.txt"), path.join(root, "link.txt"));
  symlinkSync(outside, path.join(root, "dir"));
  const s = await startServer({ port: 0, root });
  try {
    const at = (p) => fetch(new URL(p, s.url));
    assert.equal(await (await at("/inside.txt")).text(), "in");
    for (const p of ["/link.txt", "/dir/secret.txt"]) {
      const r = await at(p);
      assert.equal(r.status, 403, p);
      await r.arrayBuffer();
    }
  } finally {
    await new Promise((r) => s.server.close(r));
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test("rejects other methods and reports missing files", async () => {
  assert.equal((await get("/web/app/", { method: "POST" })).status, 405);
  assert.equal((await get("/no/such/file.js")).status, 404);
  const dir = await get("/web/app");
  assert.equal(dir.status, 301);
});
