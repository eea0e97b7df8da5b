/**
 * Orders that left this dashboard live: deleted, or taken away from this viewer (`order.left`),
 * so an open drawer can say which instead of a guess, and an agent is told when an open order of
 * theirs was reassigned away (the event does not say to whom). Written by useOrderEvents.
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
}

const MAX_NOTICES = 5;
const NO_NOTICES: readonly LeftNotice[] = [];
const store = createStore<ReadonlyMap<string, Departure>>(new Map());
const notices = createStore<readonly LeftNotice[]>(NO_NOTICES);

/** `order` is the last snapshot this viewer knew. */
export function markDeparted(order: Pick<OrderListItem, "id" | "number" | "status">, how: Departure): void {
  store.set(new Map(store.get()).set(order.id, how));
  if (how === "left" && !isTerminal(order.status)) {
    notices.set([...notices.get().filter((n) => n.id !== order.id), { id: order.id, number: order.number }].slice(-MAX_NOTICES));
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
