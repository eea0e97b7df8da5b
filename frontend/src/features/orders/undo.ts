/**
 * The dashboard's offer to undo its user's last status change or assignment: one offer at a
 * time (the newest change replaces it), open for the server's undo window.
 */
import { useSyncExternalStore } from "react";
import { createStore } from "@/lib/create-store";
import type { OrderDetail, OrderStatus } from "./types";

/**
 * How long the offer stays: the server's window (orders-service `UNDO_WINDOW`, a minute from its
 * commit) less a margin for the answer's way back and a late click's way there.
 */
export const UNDO_OFFER_MS = 55_000;

/** What was changed, for the toast's sentence. */
export type UndoableChange =
  | { kind: "status"; status: OrderStatus }
  | { kind: "assign"; assigneeId: string | null };

export interface UndoOffer {
  orderId: string;
  number: string;
  change: UndoableChange;
  /** The version the change produced: the undo is sent at the order's current version, this when none newer is known. */
  version: number;
  /** Epoch ms after which the offer is gone. */
  expiresAt: number;
}

export const undoOffer = createStore<UndoOffer | null>(null);

/** Offers to undo the change that produced `order` (a mutation's answer), from now for the window. */
export function offerUndo(order: Pick<OrderDetail, "id" | "number" | "version" | "status" | "assignee_id">, kind: UndoableChange["kind"], now = Date.now()): void {
  const change: UndoableChange = kind === "status" ? { kind, status: order.status } : { kind, assigneeId: order.assignee_id ?? null };
  undoOffer.set({ orderId: order.id, number: order.number, change, version: order.version, expiresAt: now + UNDO_OFFER_MS });
}

/** Withdraws `offer` (used, dismissed, expired) unless a newer one replaced it meanwhile. */
export function withdrawUndo(offer: UndoOffer): void {
  if (undoOffer.get() === offer) undoOffer.set(null);
}

/** Whole seconds left of `offer` at `now` (0 once expired; a clock read before the offer counts as its start). */
export function secondsLeft(offer: Pick<UndoOffer, "expiresAt">, now: number): number {
  return Math.min(UNDO_OFFER_MS / 1000, Math.max(0, Math.ceil((offer.expiresAt - now) / 1000)));
}

export function useUndoOffer(): UndoOffer | null {
  return useSyncExternalStore(undoOffer.subscribe, undoOffer.get, () => null);
}
