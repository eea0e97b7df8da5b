// The page's main thread during a window, from a Chrome trace (`devtools.timeline` and its detailed part): how long it
// was busy, how much CPU that took (thread time, which other processes on a shared machine do
// not inflate), and how much of it went to style, layout and paint.
const RENDERING = new Set(["UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit"]);

/** Starts tracing `page`'s browser; the returned function stops it and sums the page's main thread. */
export async function traceMainThread(page) {
  const browser = page.context().browser();
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
  return async () => {
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
    const threads = traceEvents.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`);
    const byThread = new Map(threads.map((t) => [t, []]));
    for (const e of traceEvents) if (e.ph === "X") byThread.get(`${e.pid}:${e.tid}`)?.push(e);
    // The page's renderer is the one that did the work (closed pages' renderers are idle).
    const events = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    const tasks = events.filter((e) => e.name === "RunTask");
    const sum = (list, field) => Math.round(list.reduce((total, e) => total + (e[field] ?? 0), 0) / 1000);
    return {
      busy_ms: sum(tasks, "dur"),
      cpu_ms: sum(tasks, "tdur"),
      style_layout_paint_ms: sum(events.filter((e) => RENDERING.has(e.name)), "dur"),
    };
  };
}
