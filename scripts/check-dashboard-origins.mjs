#!/usr/bin/env node
// Opens a running dashboard (make dev / make run) in Debian's Chromium at each given origin,
// signs in and waits for the orders board: `Loading…` forever (the dev server refusing its
// scripts to an origin it does not know) or a refused API call fails it.
//
//   node scripts/check-dashboard-origins.mjs EMAIL PASSWORD ORIGIN...
//   e.g. node scripts/check-dashboard-origins.mjs admin@example.com "$pw" http://127.0.0.1:3000
//
// Uses playwright-core from frontend/node_modules (make frontend-deps). Screenshots go to
// target/dashboard-origins/.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";

const require = createRequire(new URL("../frontend/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [email, password, ...origins] = process.argv.slice(2);
if (!email || !password || origins.length === 0) {
  console.error("usage: check-dashboard-origins.mjs EMAIL PASSWORD ORIGIN...");
  process.exit(2);
}
const shots = new URL("../target/dashboard-origins/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = 0;
let passed = 0;
for (const origin of origins) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  const name = new URL(origin).host.replace(/[^A-Za-z0-9]+/g, "_");
  try {
    await page.goto(`${origin}/sign-in`, { timeout: 120_000 });
    await page.getByLabel("Email").fill(email, { timeout: 60_000 });
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/orders"), { timeout: 30_000 });
    // The board, live: the stream's status says live and order rows are shown (make dev's
    // demo storefront creates orders; with LOM_DEMO_RATE=0 create one first).
    const board = async () => {
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 30_000 });
      await page.locator('[role="row"][data-order-id]').first().waitFor({ timeout: 30_000 });
    };
    await board();
    console.log(`ok   ${origin}: signed in and the live board loaded`);
    // Reloaded, the session comes back from the refresh cookie (the gateway's, SameSite=Strict:
    // sent only when the page and the gateway are the same site).
    await page.reload();
    await board();
    await page.screenshot({ path: `${shots}${name}.png` });
    if (!new URL(page.url()).pathname.startsWith("/orders")) {
      throw new Error(`after a reload the dashboard is at ${page.url()}, not the board`);
    }
    console.log(`ok   ${origin}: still signed in after a reload`);
    passed += 1;
  } catch (error) {
    failed += 1;
    await page.screenshot({ path: `${shots}${name}.png` }).catch(() => {});
    console.log(`FAIL ${origin}: ${error.message.split("\n")[0]}`);
    for (const p of problems.slice(0, 5)) console.log(`       console: ${p}`);
  }
  await page.close();
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
