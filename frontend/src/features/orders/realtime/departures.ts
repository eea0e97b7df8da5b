/**
 * Orders that left this dashboard live: deleted, or taken away from this viewer (`order.left`),
 * so an open drawer can say which instead of a guess, and an agent is told when an open order of
 * theirs was reassigned away, and to whom. Written by useOrderEvents.
 */
import { useSyncExternalStore } from "react";
import { createStore } from "@/lib/create-store";
import { isTerminal } from "../status-machine";
import type { OrderListItem } from "../types";

export type Departure = "deleted" | "left";

/** An open order taken away from this viewer, to tell them (newest last, a few at most). */
export interface LeftNotice {
  id: string;
  number: string;
  /** Who holds it now (from `order.left`), null when nobody or not said. */
  to: string | null;
}

const MAX_NOTICES = 5;
const NO_NOTICES: readonly LeftNotice[] = [];
const store = createStore<ReadonlyMap<string, Departure>>(new Map());
const notices = createStore<readonly LeftNotice[]>(NO_NOTICES);

/** `order` is the last snapshot this viewer knew, with the new assignee when it left. */
export function markDeparted(order: Pick<OrderListItem, "id" | "number" | "status" | "assignee_id">, how: Departure): void {
  store.set(new Map(store.get()).set(order.id, how));
  if (how === "left" && !isTerminal(order.status)) {
    const notice = { id: order.id, number: order.number, to: order.assignee_id ?? null };
    notices.set([...notices.get().filter((n) => n.id !== order.id), notice].slice(-MAX_NOTICES));
  }
}

/** An order seen again (assigned back, say) has not left. */
export function markPresent(id: string): void {
  if (store.get().has(id)) {
    const next = new Map(store.get());
    next.delete(id);
    store.set(next);
  }
  dismissLeftNotice(id);
}

export function dismissLeftNotice(id: string): void {
  if (notices.get().some((n) => n.id === id)) notices.set(notices.get().filter((n) => n.id !== id));
}

export function clearDepartures(): void {
  store.set(new Map());
  notices.set(NO_NOTICES);
}

export function useDeparture(id: string): Departure | undefined {
  return useSyncExternalStore(store.subscribe, () => store.get().get(id), () => undefined);
}

export function useLeftNotices(): readonly LeftNotice[] {
  return useSyncExternalStore(notices.subscribe, notices.get, () => NO_NOTICES);
}
