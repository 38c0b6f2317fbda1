// Shared set-up for the browser tests: the static server on a free port and Debian's Chromium driven by
// playwright-core, with a fresh profile per browser. Not a test file itself (no .test.mjs suffix).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export async function launch() {
  const { server, url } = await startServer({ port: 0 });
  const profile = mkdtempSync(path.join(tmpdir(), "titleforest-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-quic",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  const errors = [];
  const newPage = async (pathname = "web/app/") => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    await page.goto(new URL(pathname, url).href);
    return page;
  };
  const close = async () => {
    await context.close().catch(() => {});
    await new Promise((r) => server.close(r));
    rmSync(profile, { recursive: true, force: true });
  };
  return { url, context, newPage, close, errors };
}
