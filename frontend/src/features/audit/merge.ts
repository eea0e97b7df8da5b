/**
 * The audit page's one list from two paged sources (users-service's account actions and
 * orders-service's order actions), each newest first with its own cursor. A merged row is shown
 * only once no unloaded row of either source can be newer: down to the horizon, the newest
 * "last loaded" time among the sources that have more pages. "Show older" loads the next page
 * of the source(s) holding the horizon back.
 */

/** One source as loaded so far: its rows newest first, whether it has more pages. */
export interface LoadedSource<T> {
  /** False until its first page arrived: nothing is shown before every source's first page. */
  loaded: boolean;
  items: readonly T[];
  hasMore: boolean;
}

export interface Merged<T, K extends string> {
  /** Every row that is certain to be in place, newest first. */
  rows: T[];
  /** The sources to load a page more of, for older rows (empty: everything is shown). */
  loadMore: K[];
}

function time(at: string): number {
  return Date.parse(at);
}

/** Merges `sources` (keyed), ordering by each row's `at`; ties keep the sources' own order. */
export function mergeSources<T extends { at: string }, K extends string>(sources: Record<K, LoadedSource<T>>): Merged<T, K> {
  const keys = Object.keys(sources) as K[];
  if (keys.some((key) => !sources[key].loaded)) return { rows: [], loadMore: [] };
  let horizon = -Infinity;
  const oldest = {} as Record<K, number>;
  for (const key of keys) {
    const { items, hasMore } = sources[key];
    const last = items.at(-1);
    oldest[key] = last ? time(last.at) : Infinity;
    if (hasMore) horizon = Math.max(horizon, oldest[key]);
  }
  const rows = keys
    .flatMap((key, rank) => sources[key].items.map((item, index) => ({ item, at: time(item.at), rank, index })))
    .filter((row) => row.at >= horizon)
    .sort((a, b) => b.at - a.at || a.rank - b.rank || a.index - b.index)
    .map((row) => row.item);
  const loadMore = keys.filter((key) => sources[key].hasMore && oldest[key] >= horizon);
  return { rows, loadMore };
}
