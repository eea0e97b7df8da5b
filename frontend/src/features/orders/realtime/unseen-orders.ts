/**
 * Orders that arrived while the tab was hidden: marked "new" on the board until their row has
 * been on screen in a visible tab. Written by useOrderEvents (arrivals) and the list (seen).
 */
import { useSyncExternalStore } from "react";
import { createStore } from "@/lib/create-store";

/** A tab hidden for hours under heavy traffic must not grow without bound: the oldest go first. */
const MAX_TRACKED = 5_000;
const EMPTY: ReadonlySet<string> = new Set();
const store = createStore<ReadonlySet<string>>(EMPTY);

/** A new order was applied: remember it when nobody could have seen it arrive. */
export function noteArrival(id: string): void {
  if (typeof document === "undefined" || document.visibilityState !== "hidden") return;
  const next = new Set(store.get());
  next.add(id);
  for (const oldest of next) {
    if (next.size <= MAX_TRACKED) break;
    next.delete(oldest);
  }
  store.set(next);
}

export function markSeen(ids: readonly string[]): void {
  const current = store.get();
  if (!ids.some((id) => current.has(id))) return;
  const next = new Set(current);
  for (const id of ids) next.delete(id);
  store.set(next);
}

export function clearUnseen(): void {
  store.set(EMPTY);
}

export const unseenOrders = { subscribe: store.subscribe, get: store.get };

export function useUnseenOrders(): ReadonlySet<string> {
  return useSyncExternalStore(store.subscribe, store.get, () => EMPTY);
}

export function useIsUnseen(id: string): boolean {
  return useSyncExternalStore(store.subscribe, () => store.get().has(id), () => false);
}
