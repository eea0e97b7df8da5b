#!/usr/bin/env node
// Reports the first-load JS and CSS of prerendered routes from the production build: every
// /_next/static asset the route's HTML loads, raw and gzipped. Usage: node scripts/bundle-size.mjs [route...]
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url).pathname;
const routes = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["orders", "sign-in"];
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

for (const route of routes) {
  const htmlPath = join(root, ".next/server/app", `${route}.html`);
  if (!existsSync(htmlPath)) {
    console.error(`no prerendered HTML for /${route}: run npm run build first`);
    process.exitCode = 1;
    continue;
  }
  const html = readFileSync(htmlPath, "utf8");
  const assets = [...new Set([...html.matchAll(/\/_next\/(static\/[^"'\s)\\]+\.(?:js|css))/g)].map((m) => m[1]))];
  const totals = { js: [0, 0], css: [0, 0] };
  for (const asset of assets) {
    const file = readFileSync(join(root, ".next", decodeURIComponent(asset)));
    const kind = asset.endsWith(".css") ? "css" : "js";
    totals[kind][0] += file.length;
    totals[kind][1] += gzipSync(file, { level: 9 }).length;
  }
  console.log(
    `/${route}: first-load JS ${kb(totals.js[0])} (${kb(totals.js[1])} gzip) in ${assets.filter((a) => a.endsWith(".js")).length} files; ` +
      `CSS ${kb(totals.css[0])} (${kb(totals.css[1])} gzip)`,
  );
}
