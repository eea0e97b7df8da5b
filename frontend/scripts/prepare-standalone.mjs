#!/usr/bin/env node
// `output: 'standalone'` leaves static assets out of .next/standalone: copy them in (and public/ if any).
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const standalone = join(root, ".next/standalone");
if (!existsSync(standalone)) {
  console.error("no .next/standalone: run `npm run build` first");
  process.exit(1);
}
cpSync(join(root, ".next/static"), join(standalone, ".next/static"), { recursive: true });
if (existsSync(join(root, "public"))) cpSync(join(root, "public"), join(standalone, "public"), { recursive: true });
