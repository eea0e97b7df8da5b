// The board under a burst: reads the status tabs' counts off the page, and runs the burst
// while sampling the heap (CDP) and watching long tasks, until the board's counts equal the
// database's, then waits for the heap to settle.
import { heapUsed, pageNow, probesBetween, framesSoFar, round } from "./probes.mjs";
import { traceMainThread } from "./trace.mjs";

const STATUS_OF_TAB = { All: "total", Pending: "PENDING", Confirmed: "CONFIRMED", Processing: "PROCESSING", Shipped: "SHIPPED", Delivered: "DELIVERED", Cancelled: "CANCELLED" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SETTLE_LIMIT_MS = 30_000;

/** The counts the status tabs show (English labels): `{ total, PENDING, … }`; "–" (not loaded) reads as null. */
export async function boardCounts(page) {
  const tabs = await page.evaluate(() =>
    [...document.querySelectorAll('[role="tab"]')].map((tab) => [tab.childNodes[0]?.textContent?.trim() ?? "", tab.querySelector("span")?.textContent ?? ""]),
  );
  const counts = {};
  for (const [label, count] of tabs) {
    const key = STATUS_OF_TAB[label];
    if (key) counts[key] = /^\d+$/.test(count) ? Number(count) : null;
  }
  return counts;
}

/** What differs between the board's counts and the database's (`""` when nothing does). */
export function countsDiffer(board, database) {
  const expected = { ...database, total: Object.values(database).reduce((sum, n) => sum + n, 0) };
  const keys = Object.values(STATUS_OF_TAB);
  return keys
    .filter((key) => (board[key] ?? null) !== (expected[key] ?? 0))
    .map((key) => `${key}: board ${board[key]}, database ${expected[key] ?? 0}`)
    .join("; ");
}

/**
 * Warms up, takes the collected heap, runs `run()` (the burst), waits until the board's counts
 * equal `truth()` (the database), reads the long tasks, frame gaps and the main thread's time
 * (a trace) from the burst's start to then, waits until `heapWaitMs` after the burst and takes the collected heap again. The heap is
 * also sampled (uncollected) every 250 ms throughout, for the peak and the chart.
 */
export async function measureBurst({ page, cdp, warmupMs, heapWaitMs, run, truth }) {
  const chartFrom = await pageNow(page);
  const samples = [];
  const sampler = setInterval(() => {
    const at = performance.now();
    heapUsed(cdp).then((used) => samples.push({ at, used }), () => {});
  }, 250);
  try {
    await sleep(warmupMs);
    const before = await heapUsed(cdp, { collect: true });
    const burstMark = await pageNow(page);
    const framesBefore = await framesSoFar(page);
    const stopTrace = await traceMainThread(page);
    const started = performance.now();
    const load = await run();
    const sent = performance.now();

    let settled = null;
    let board = {};
    while (performance.now() - sent < SETTLE_LIMIT_MS) {
      board = await boardCounts(page);
      if (!countsDiffer(board, truth())) {
        settled = performance.now();
        break;
      }
      await sleep(100);
    }
    const settleMark = await pageNow(page);
    const mainThread = await stopTrace();
    const window = await probesBetween(page, burstMark, settleMark);
    const frames = (await framesSoFar(page)) - framesBefore;
    const windowMs = (settled ?? performance.now()) - started;

    const wait = sent + heapWaitMs - performance.now();
    if (wait > 0) await sleep(wait);
    const after = await heapUsed(cdp, { collect: true });
    const chart = await probesBetween(page, chartFrom, Infinity);
    const peak = Math.max(before, ...samples.filter((s) => s.at >= started && s.at <= (settled ?? sent)).map((s) => s.used));
    const offset = burstMark - chartFrom;
    return {
      load,
      counts_match: settled !== null,
      counts: board,
      settle_ms: settled === null ? null : Math.round(settled - sent),
      window_ms: Math.round(windowMs),
      fps: round((frames * 1000) / windowMs),
      main_thread: mainThread,
      longtasks: window.longtasks,
      frame_gaps_over_50ms: window.frame_gaps_over_50ms,
      heap: { before, peak, after },
      timeline: {
        heap_mb: samples.map((s) => [round((s.at - started) / 1000, 2), round(s.used / 1024 / 1024, 2)]),
        longtasks: chart.longtasks.each.map((t) => [round((t.at_ms - offset) / 1000, 2), t.ms]),
        burst_s: round((sent - started) / 1000, 2),
        collected_at_s: [0, round((performance.now() - started) / 1000, 2)],
      },
    };
  } finally {
    clearInterval(sampler);
  }
}
