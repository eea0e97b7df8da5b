// The dashboard under a burst, in a real browser (issue #15): starts the real stack
// (e2e/stack.mjs: the services' binaries and the dashboard's production build on free ports),
// seeds orders in its database and measures in Debian Chromium (playwright-core):
//   1. sign-in click → first rows → a row click opens the drawer, with N orders in the database;
//   2. the signed-in board while orders arrive at a rate through the gateway: long tasks and
//      frame gaps after the warm-up, the JS heap before, at its peak and after a wait, and the
//      board's status counts against the database;
//   3. loading rows page by page down to M, then scrolling through the loaded rows.
// Writes the figures as JSON (--out) and, with --report, the "Dashboard" section of
// docs/benchmarks.md and its chart. Fails only on errors and wrong counts, never on a slow figure.
//
//   node bench/dashboard/main.mjs --size full|smoke [--profile release|debug] [--out FILE]
//        [--report ../docs/benchmarks.md --charts ../docs/benchmarks]
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { login, seedUsers } from "../../e2e/api.mjs";
import { launchChromium, requireChromium } from "../../e2e/chromium.mjs";
import { Stack } from "../../e2e/stack.mjs";
import { burst } from "./burst.mjs";
import { boardCounts, countsDiffer, measureBurst } from "./board.mjs";
import { addProbes, pageNow, probesBetween, round } from "./probes.mjs";
import { writeReport } from "./report.mjs";
import { loadRows, scrollLoadedRows } from "./scroll.mjs";
import { countsInDatabase, seedOrders } from "./seed.mjs";

const SIZES = {
  full: { seeded: 10_000, signIns: 3, warmupS: 5, rate: 200, seconds: 10, heapWaitS: 60, rows: 10_000 },
  smoke: { seeded: 200, signIns: 1, warmupS: 1, rate: 20, seconds: 1, heapWaitS: 2, rows: 200 },
};

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "smoke" },
    profile: { type: "string", default: "debug" },
    out: { type: "string" },
    report: { type: "string" },
    charts: { type: "string" },
  },
});
const size = SIZES[args.size];
if (!size) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const log = (message) => console.error(`[dashboard ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** A fresh browser context (another person at another desk) with the probes installed. */
async function newProbedPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: "en-US", timezoneId: "Asia/Bangkok" });
  await addProbes(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Signs in from the sign-in page and times the way to a board that answers a click. */
async function timedSignIn(page, stack, email) {
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(stack.password);
  const clickMark = await pageNow(page);
  const clicked = performance.now();
  await page.getByRole("button", { name: "Sign in" }).click();
  const firstRow = page.locator('[role="row"][data-order-id]').first();
  await firstRow.waitFor();
  const rowsShown = performance.now();
  await page.locator('[role="status"][data-state="live"]').waitFor();
  const live = performance.now();
  const rowClicked = performance.now();
  await firstRow.click();
  await page.getByRole("dialog").waitFor();
  const drawerOpen = performance.now();
  const probes = await probesBetween(page, clickMark);
  return {
    click_to_rows_ms: Math.round(rowsShown - clicked),
    click_to_live_ms: Math.round(live - clicked),
    row_click_to_drawer_ms: Math.round(drawerOpen - rowClicked),
    click_to_interactive_ms: Math.round(drawerOpen - clicked),
    longtasks: probes.longtasks,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  requireChromium();
  const stack = new Stack({ profile: args.profile });
  let browser;
  try {
    log(`starting the stack (${args.profile} services, production dashboard)`);
    await stack.start();
    const users = await seedUsers(stack);
    const gatewayApi = `${stack.gatewayUrl}/api/v1`;
    const storefront = await login(gatewayApi, users.storefront.email, stack.password);
    const seededAt = performance.now();
    seedOrders(stack.ordersDatabaseUrl, size.seeded, [users.agent.id, users.agent2.id]);
    log(`seeded ${size.seeded} orders in ${Math.round(performance.now() - seededAt)} ms`);
    browser = await launchChromium();
    const loadBefore = loadavg()[0];

    // 1. Sign-in to an interactive board, each time in a fresh context (nothing cached).
    const signIns = [];
    let page;
    for (let i = 0; i < size.signIns; i++) {
      if (page) await page.context().close();
      page = await newProbedPage(browser);
      signIns.push(await timedSignIn(page, stack, users.dispatcher.email));
      log(`sign-in ${i + 1}: interactive after ${signIns.at(-1).click_to_interactive_ms} ms`);
    }
    // The drawer closed and no row selected: new orders go on top of the list, not behind the pill.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });

    // 2. The board under a burst.
    const cdp = await page.context().newCDPSession(page);
    log(`burst: ${size.rate} orders/s for ${size.seconds} s after a ${size.warmupS} s warm-up`);
    const burstResult = await measureBurst({
      page,
      cdp,
      warmupMs: size.warmupS * 1000,
      heapWaitMs: size.heapWaitS * 1000,
      run: () => burst({ gatewayApi, token: storefront, rate: size.rate, seconds: size.seconds }),
      truth: () => countsInDatabase(stack.ordersDatabaseUrl),
    });
    if (burstResult.load.failures.length > 0) throw new Error(`${burstResult.load.failures.length} creates failed, e.g. ${burstResult.load.failures[0]}`);
    if (!burstResult.counts_match) {
      throw new Error(`the board's counts differ from the database: ${countsDiffer(await boardCounts(page), countsInDatabase(stack.ordersDatabaseUrl))}`);
    }
    log(`burst: ${burstResult.longtasks.count} long tasks (max ${burstResult.longtasks.max_ms} ms), counts equal after ${burstResult.settle_ms} ms`);

    // 3. Loading rows page by page, then scrolling through them.
    const loading = await loadRows(page, size.rows);
    log(`loaded ${loading.rows} rows in ${loading.ms} ms (${loading.longtasks.count} long tasks)`);
    const scrolling = await scrollLoadedRows(page);
    log(`scrolled ${scrolling.rows} rows in ${scrolling.ms} ms (${scrolling.longtasks.count} long tasks)`);

    const heapMb = (bytes) => round(bytes / 1024 / 1024, 2);
    const results = {
      size: args.size,
      profile: args.profile,
      date: new Date().toISOString(),
      seeded_orders: size.seeded,
      machine: { cpus: cpus().length, load1_before: round(loadBefore, 2), load1_after: round(loadavg()[0], 2) },
      sign_in: {
        runs: signIns,
        median_click_to_rows_ms: median(signIns.map((s) => s.click_to_rows_ms)),
        median_click_to_interactive_ms: median(signIns.map((s) => s.click_to_interactive_ms)),
      },
      burst: {
        rate: size.rate,
        seconds: size.seconds,
        warmup_s: size.warmupS,
        heap_wait_s: size.heapWaitS,
        ...burstResult,
        heap_mb: { before: heapMb(burstResult.heap.before), peak: heapMb(burstResult.heap.peak), after: heapMb(burstResult.heap.after) },
        heap_after_vs_before: round(burstResult.heap.after / burstResult.heap.before, 3),
      },
      loading,
      scrolling,
    };
    if (args.out) writeFileSync(resolve(args.out), `${JSON.stringify(results, null, 2)}\n`);
    if (args.report) {
      writeReport(resolve(args.report), resolve(args.charts ?? "."), results);
      log(`wrote ${args.report}`);
    }
    log("done");
  } finally {
    await browser?.close().catch(() => {});
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(`[dashboard] error: ${error.stack ?? error}`);
  process.exit(1);
});
