// Debian's Chromium through playwright-core, with the flags this machine needs (no sandbox, no
// GPU, nothing fetched in the background): shared by the browser tests and the dashboard benchmark.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Throws, saying how to fix it, when there is no browser (call it before starting a stack). */
export function requireChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run scripts/ensure-chromium.sh (apt-get install chromium) or set CHROMIUM_PATH`);
}

/** Launches headless Chromium with a fresh temporary profile (removed on close); `args` are added flags. */
export function launchChromium(args = []) {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...args,
    ],
  });
}
