import { describe, expect, it } from "vitest";
import { mergeSources, type LoadedSource } from "./merge";

const row = (id: string, minute: number) => ({ id, at: `2026-12-01T10:${String(minute).padStart(2, "0")}:00.000000Z` });
const source = (items: ReturnType<typeof row>[], hasMore: boolean): LoadedSource<ReturnType<typeof row>> => ({ loaded: true, items, hasMore });

describe("mergeSources", () => {
  it("interleaves two finished sources newest first", () => {
    const merged = mergeSources({
      accounts: source([row("a1", 50), row("a2", 20)], false),
      orders: source([row("o1", 40), row("o2", 30), row("o3", 10)], false),
    });
    expect(merged.rows.map((r) => r.id)).toEqual(["a1", "o1", "o2", "a2", "o3"]);
    expect(merged.loadMore).toEqual([]);
  });

  it("shows nothing older than a source with more pages has loaded, and asks that source for more", () => {
    const merged = mergeSources({
      accounts: source([row("a1", 50), row("a2", 5)], false),
      orders: source([row("o1", 40), row("o2", 30)], true),
    });
    // a2 (10:05) may come after orders not loaded yet (between 10:30 and 10:05).
    expect(merged.rows.map((r) => r.id)).toEqual(["a1", "o1", "o2"]);
    expect(merged.loadMore).toEqual(["orders"]);
  });

  it("waits for the source whose loaded rows end newest when both have more", () => {
    const merged = mergeSources({
      accounts: source([row("a1", 50), row("a2", 45)], true),
      orders: source([row("o1", 40), row("o2", 30)], true),
    });
    expect(merged.rows.map((r) => r.id)).toEqual(["a1", "a2"]);
    expect(merged.loadMore).toEqual(["accounts"]);
  });

  it("walks to the end page by page without losing or repeating a row", () => {
    const all = {
      accounts: [row("a1", 59), row("a2", 31), row("a3", 30), row("a4", 2)],
      orders: [row("o1", 58), row("o2", 57), row("o3", 33), row("o4", 12), row("o5", 11), row("o6", 1)],
    };
    const pages = { accounts: 1, orders: 1 };
    const shown: string[][] = [];
    for (;;) {
      const view = (key: keyof typeof all) => source(all[key].slice(0, pages[key] * 2), all[key].length > pages[key] * 2);
      const merged = mergeSources({ accounts: view("accounts"), orders: view("orders") });
      shown.push(merged.rows.map((r) => r.id));
      if (merged.loadMore.length === 0) break;
      for (const key of merged.loadMore) pages[key] += 1;
    }
    // Each step only adds rows at the end: what was shown stays in place.
    let before: string[] = [];
    for (const rows of shown) {
      expect(rows.slice(0, before.length)).toEqual(before);
      before = rows;
    }
    expect(shown.at(-1)).toEqual(["a1", "o1", "o2", "o3", "a2", "a3", "o4", "o5", "a4", "o6"]);
  });

  it("shows nothing until every source's first page arrived", () => {
    const merged = mergeSources({
      accounts: source([row("a1", 50)], false),
      orders: { loaded: false, items: [], hasMore: false },
    });
    expect(merged).toEqual({ rows: [], loadMore: [] });
  });

  it("merges one source alone as it comes", () => {
    const merged = mergeSources({ orders: source([row("o1", 40), row("o2", 30)], true) });
    expect(merged.rows.map((r) => r.id)).toEqual(["o1", "o2"]);
    expect(merged.loadMore).toEqual(["orders"]);
  });
});
