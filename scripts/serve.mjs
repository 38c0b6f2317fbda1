#!/usr/bin/env node
// A small static server for the page: serves the project root on 127.0.0.1 (PORT, default 8080; HOST
// only to listen elsewhere, e.g. HOST=0.0.0.0 inside the Docker image),
// "/" redirects to /web/app/. Correct MIME types (.wasm must be application/wasm for streaming
// compilation), no directory listing, no path outside the root.
//   node scripts/serve.mjs            PORT=9000 node scripts/serve.mjs        HOST=0.0.0.0 node scripts/serve.mjs
// Also importable: `const { server, url } = await startServer({ port: 0 })` (tests use a free port).
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".d.ts": "text/plain; charset=utf-8",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".xls": "application/vnd.ms-excel",
  ".cbor": "application/cbor",
  ".tfm": "application/octet-stream",
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", ...headers });
  res.end(text);
}

/** The file under root that a request path names, or null if it would leave the root. */
export function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const full = path.resolve(root, "." + path.posix.normalize("/" + decoded.replaceAll("\\", "/")));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  // no dot-files or dot-directories (.git, .ci ...)
  if (path.relative(root, full).split(path.sep).some((part) => part.startsWith("."))) return null;
  return full;
}

async function handle(root, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "Method not allowed\n", { Allow: "GET, HEAD" });
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/" || url.pathname === "/index.html") {
    res.writeHead(302, { Location: "/web/app/" });
    return res.end();
  }
  let file = resolvePath(root, url.pathname);
  if (!file) return send(res, 403, "Forbidden\n");
  let st;
  try {
    st = await stat(file);
    if (st.isDirectory()) {
      if (!url.pathname.endsWith("/")) {
        res.writeHead(301, { Location: url.pathname + "/" + url.search });
        return res.end();
      }
      file = path.join(file, "index.html");
      st = await stat(file);
    }
  } catch {
    return send(res, 404, `Not found: ${url.pathname}\n`);
  }
  if (!st.isFile()) return send(res, 404, `Not found: ${url.pathname}\n`);
  // no way out through a symbolic link either (build trees link to /usr/include, for example)
  const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  if (!realFile.startsWith(realRoot + path.sep)) return send(res, 403, "Forbidden\n");
  const ext = file.endsWith(".d.ts") ? ".d.ts" : path.extname(file).toLowerCase();
  res.writeHead(200, {
    "Content-Type": MIME[ext] ?? "application/octet-stream",
    "Content-Length": st.size,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

export function startServer({ port = Number(process.env.PORT ?? 8080), host = process.env.HOST || "127.0.0.1", root = ROOT } = {}) {
  const server = http.createServer((req, res) => {
    handle(root, req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${e.message}\n`);
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
      resolve({ server, port: actual, url: `http://${shown}:${actual}/` });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: PORT must be an integer in [0, 65535], got "${process.env.PORT}"`);
    process.exit(2);
  }
  const host = process.env.HOST || "127.0.0.1";
  startServer({ port, host }).then(
    ({ url }) => console.log(`titleforest: serving ${ROOT} at ${url} (Ctrl+C to stop)`),
    (e) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${e.message}`);
      process.exit(1);
    },
  );
}
