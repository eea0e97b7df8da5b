// Scrolling the board: loading rows page by page (the list fetches the next page as its end
// comes into view) until it holds a number of rows, then scrolling through the loaded rows one
// screen per frame, each with its long tasks and frame gaps (and the scroll's main-thread time).
import { pageNow, probesBetween, round } from "./probes.mjs";
import { traceMainThread } from "./trace.mjs";

const SCROLLER = '[data-testid="orders-scroll"]';
/** The list's row height (ROW_HEIGHT in order-row.tsx): the scroller's height says how many rows it holds. */
const ROW_HEIGHT = 44;
const LOAD_LIMIT_MS = 300_000;

/** Rows the list holds now (its last line, "loading more" or "end of list", is not a row). */
function loadedRows(page) {
  return page.$eval(SCROLLER, (el, rowHeight) => Math.round(el.scrollHeight / rowHeight) - 1, ROW_HEIGHT);
}

/** Jumps to the end of the list until it holds `target` rows or says it has no more. */
export async function loadRows(page, target) {
  const from = await pageNow(page);
  const started = performance.now();
  let rows = await loadedRows(page);
  while (rows < target && performance.now() - started < LOAD_LIMIT_MS) {
    await page.$eval(SCROLLER, (el) => el.scrollTo(0, el.scrollHeight));
    if ((await page.getByText("End of list").count()) > 0) break;
    await page.waitForFunction(
      ({ selector, before, rowHeight }) => Math.round(document.querySelector(selector).scrollHeight / rowHeight) - 1 > before,
      { selector: SCROLLER, before: rows, rowHeight: ROW_HEIGHT },
      { timeout: 10_000 },
    );
    rows = await loadedRows(page);
  }
  const ms = Math.round(performance.now() - started);
  const probes = await probesBetween(page, from);
  return { rows, ms, ...probes };
}

/** From the top down to the last loaded rows, one screen per animation frame. */
export async function scrollLoadedRows(page) {
  await page.$eval(SCROLLER, (el) => el.scrollTo(0, 0));
  await page.waitForTimeout(500);
  const from = await pageNow(page);
  const stopTrace = await traceMainThread(page);
  const { frames, ms, px } = await page.$eval(SCROLLER, (el) =>
    new Promise((done) => {
      // Stop a screen before the end: reaching it would fetch the next page, which is not scrolling.
      const end = el.scrollHeight - 2 * el.clientHeight;
      const started = performance.now();
      let frames = 0;
      const step = () => {
        frames += 1;
        el.scrollTop = Math.min(end, el.scrollTop + el.clientHeight);
        if (el.scrollTop >= end) done({ frames, ms: performance.now() - started, px: end });
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    }),
  );
  const mainThread = await stopTrace();
  const probes = await probesBetween(page, from);
  return { rows: await loadedRows(page), ms: Math.round(ms), main_thread: mainThread, frames, fps: round((frames * 1000) / ms), px_per_s: Math.round((px * 1000) / ms), ...probes };
}
