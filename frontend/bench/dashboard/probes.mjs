// What the dashboard benchmark reads out of the page: long tasks (PerformanceObserver
// `longtask`, buffered, installed before any of the page's scripts), frame gaps (a
// requestAnimationFrame loop), and the JS heap through the Chrome DevTools Protocol.

/** Runs in the page before its own scripts (`addInitScript`), in every document it loads. */
function installProbes() {
  const probes = { longtasks: [], gaps: [], frames: 0 };
  window.__lomProbes = probes;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probes.longtasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  // A frame later than 50 ms after the one before it: the page could not paint for that long.
  let last = 0;
  const frame = (time) => {
    probes.frames += 1;
    if (last > 0 && time - last > 50) probes.gaps.push({ start: last, duration: time - last });
    last = time;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Installs the probes in every document `context` opens from now on. */
export function addProbes(context) {
  return context.addInitScript(installProbes);
}

/** The page's clock (`performance.now()`, ms since its document started): marks a window's edge. */
export function pageNow(page) {
  return page.evaluate(() => performance.now());
}

/**
 * What the probes saw between two marks of the page's clock: long tasks (count, longest, total
 * ms, each one) and frame gaps over 50 ms (count, longest), plus the frames drawn in between.
 */
export async function probesBetween(page, from, to = Infinity) {
  const { longtasks, gaps } = await page.evaluate(() => ({ longtasks: window.__lomProbes.longtasks, gaps: window.__lomProbes.gaps }));
  const within = (entry) => entry.start >= from && entry.start < to;
  const tasks = longtasks.filter(within);
  const slowFrames = gaps.filter(within);
  return {
    longtasks: {
      count: tasks.length,
      max_ms: round(Math.max(0, ...tasks.map((t) => t.duration))),
      total_ms: round(tasks.reduce((sum, t) => sum + t.duration, 0)),
      each: tasks.map((t) => ({ at_ms: round(t.start - from), ms: round(t.duration) })),
    },
    frame_gaps_over_50ms: {
      count: slowFrames.length,
      max_ms: round(Math.max(0, ...slowFrames.map((g) => g.duration))),
    },
  };
}

/** Frames the page has drawn so far (to turn a window into frames per second). */
export function framesSoFar(page) {
  return page.evaluate(() => window.__lomProbes.frames);
}

/** The page's JS heap through CDP: `usedSize` in bytes; `collect` runs a full GC first. */
export async function heapUsed(cdp, { collect = false } = {}) {
  if (collect) await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
