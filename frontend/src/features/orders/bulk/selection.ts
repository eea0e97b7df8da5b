/**
 * Which rows of the board are selected for a bulk action: a click toggles one row (and becomes
 * the anchor), a shift-click selects every row from the anchor to it, "select all" takes the
 * first {@link BULK_MAX} rows of the view; never more than the server's cap. After a bulk
 * action only the rows that did not succeed stay selected, so they can be looked at or retried.
 */

/** The most orders one bulk request may carry (the server's `items` maximum). */
export const BULK_MAX = 200;

export interface Selection {
  /** Selected order ids, in the order they were selected. */
  readonly ids: readonly string[];
  /** The row a shift-click extends from: the last one toggled. */
  readonly anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: [], anchor: null };

type Row = { readonly id: string };

/** Adds `ids` (those not in yet), up to the cap. */
function add(selection: Selection, ids: readonly string[], anchor: string | null): Selection {
  const have = new Set(selection.ids);
  const added = ids.filter((id) => !have.has(id)).slice(0, Math.max(0, BULK_MAX - selection.ids.length));
  return { ids: [...selection.ids, ...added], anchor };
}

export function isSelected(selection: Selection, id: string): boolean {
  return selection.ids.includes(id);
}

/** Selects the row, or unselects it if it was; it becomes the anchor. Past the cap nothing is added. */
export function toggle(selection: Selection, id: string): Selection {
  if (isSelected(selection, id)) return { ids: selection.ids.filter((s) => s !== id), anchor: id };
  return add(selection, [id], id);
}

/** Selects every row between the anchor and `id` (both included); without an anchor in view, toggles `id`. */
export function selectRange(selection: Selection, rows: readonly Row[], id: string): Selection {
  const to = rows.findIndex((row) => row.id === id);
  const from = selection.anchor === null ? -1 : rows.findIndex((row) => row.id === selection.anchor);
  if (to < 0 || from < 0) return toggle(selection, id);
  const [start, end] = from <= to ? [from, to] : [to, from];
  return add(selection, rows.slice(start, end + 1).map((row) => row.id), selection.anchor);
}

/** The first {@link BULK_MAX} rows of the view. */
export function selectAll(rows: readonly Row[]): Selection {
  return add(EMPTY_SELECTION, rows.map((row) => row.id), null);
}

/** The selected rows still in view, in the view's order (what a bulk request is built from). */
export function selectedRows<T extends Row>(selection: Selection, rows: readonly T[]): T[] {
  const wanted = new Set(selection.ids);
  return rows.filter((row) => wanted.has(row.id));
}

/** What stays selected after a bulk action: every row that was not done. */
export function keepFailed(selection: Selection, done: readonly string[]): Selection {
  const finished = new Set(done);
  return { ids: selection.ids.filter((id) => !finished.has(id)), anchor: null };
}
