import { describe, expect, it } from "vitest";
import { BULK_MAX, EMPTY_SELECTION, keepFailed, selectAll, selectRange, selectedRows, toggle } from "./selection";

const rows = ["a", "b", "c", "d", "e"].map((id) => ({ id }));

describe("bulk selection", () => {
  it("toggles one row at a time and remembers it as the anchor", () => {
    const one = toggle(EMPTY_SELECTION, "b");
    expect(one).toEqual({ ids: ["b"], anchor: "b" });
    expect(toggle(one, "b")).toEqual({ ids: [], anchor: "b" });
  });

  it("shift-click selects the range from the anchor, in either direction, keeping what was selected", () => {
    const start = toggle(toggle(EMPTY_SELECTION, "a"), "d");
    expect(selectRange(start, rows, "b").ids).toEqual(["a", "d", "b", "c"]);
    expect(selectRange(toggle(EMPTY_SELECTION, "b"), rows, "e").ids).toEqual(["b", "c", "d", "e"]);
  });

  it("shift-click without an anchor in view toggles the row", () => {
    expect(selectRange(EMPTY_SELECTION, rows, "c")).toEqual({ ids: ["c"], anchor: "c" });
    expect(selectRange({ ids: ["x"], anchor: "x" }, rows, "c").ids).toEqual(["x", "c"]);
  });

  it("select all takes the view up to the cap, and nothing goes past it", () => {
    const many = Array.from({ length: BULK_MAX + 50 }, (_, i) => ({ id: `o${i}` }));
    const all = selectAll(many);
    expect(all.ids).toHaveLength(BULK_MAX);
    expect(all.ids[0]).toBe("o0");
    expect(toggle(all, `o${BULK_MAX + 1}`).ids).toHaveLength(BULK_MAX);
    expect(selectRange(toggle(EMPTY_SELECTION, "o0"), many, `o${BULK_MAX + 10}`).ids).toHaveLength(BULK_MAX);
  });

  it("lists the selected rows in view order and keeps only the failed ones afterwards", () => {
    const selection = toggle(toggle(toggle(EMPTY_SELECTION, "d"), "a"), "zz");
    expect(selectedRows(selection, rows).map((row) => row.id)).toEqual(["a", "d"]);
    expect(keepFailed(selection, ["a", "zz"])).toEqual({ ids: ["d"], anchor: null });
  });
});
