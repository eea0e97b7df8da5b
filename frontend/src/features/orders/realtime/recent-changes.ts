/** Which rows changed live a moment ago, so they can slide in / flash. Entries expire by themselves. */
import { createStore } from "@/lib/create-store";

export type RecentKind = "created" | "updated";

const HIGHLIGHT_MS = 4_000;
const store = createStore<ReadonlyMap<string, RecentKind>>(new Map());
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function markRecent(id: string, kind: RecentKind): void {
  const next = new Map(store.get());
  // A created row that updates right away keeps its "new" highlight.
  next.set(id, next.get(id) === "created" ? "created" : kind);
  store.set(next);
  const previous = timers.get(id);
  if (previous) clearTimeout(previous);
  timers.set(
    id,
    setTimeout(() => {
      timers.delete(id);
      const after = new Map(store.get());
      after.delete(id);
      store.set(after);
    }, HIGHLIGHT_MS),
  );
}

export const recentChanges = { subscribe: store.subscribe, get: store.get };
