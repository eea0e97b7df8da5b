/**
 * Orders that left this dashboard live: deleted, or taken away from this viewer (`order.left`),
 * so an open drawer can say which instead of a guess. Written by useOrderEvents.
 */
import { useSyncExternalStore } from "react";
import { createStore } from "@/lib/create-store";

export type Departure = "deleted" | "left";

const store = createStore<ReadonlyMap<string, Departure>>(new Map());

export function markDeparted(id: string, how: Departure): void {
  store.set(new Map(store.get()).set(id, how));
}

/** An order seen again (assigned back, say) has not left. */
export function markPresent(id: string): void {
  if (!store.get().has(id)) return;
  const next = new Map(store.get());
  next.delete(id);
  store.set(next);
}

export function clearDepartures(): void {
  store.set(new Map());
}

export function useDeparture(id: string): Departure | undefined {
  return useSyncExternalStore(store.subscribe, () => store.get().get(id), () => undefined);
}
