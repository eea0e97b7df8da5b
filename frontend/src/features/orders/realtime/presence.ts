/**
 * Presence (gateway/src/realtime/presence): who has which order open, as the gateway last said
 * (`presence.snapshot` replaces everything, `presence.changed` one order), and the one order
 * this dashboard has open (the drawer), announced with `presence.open` / `presence.close` and
 * again on every (re)connect. While the socket is down nothing is shown (it would be stale).
 * Written by the live connection and the drawer; read by the rows and the drawer.
 */
import { useEffect, useSyncExternalStore } from "react";
import type { Socket } from "socket.io-client";
import { createStore } from "@/lib/create-store";

export interface OrderPresence {
  order_id: string;
  /** The users who have the order open, each once. */
  viewers: string[];
}

const NOBODY: readonly string[] = [];
const viewersByOrder = createStore<ReadonlyMap<string, readonly string[]>>(new Map());
/** The order this dashboard has open, or null. */
const opened = createStore<string | null>(null);

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");

function isPresence(value: unknown): value is OrderPresence {
  const p = value as Partial<OrderPresence> | null;
  return typeof p?.order_id === "string" && isStrings(p.viewers);
}

export function applyPresenceSnapshot(payload: unknown): void {
  const orders = (payload as { orders?: unknown } | null)?.orders;
  if (!Array.isArray(orders)) return;
  viewersByOrder.set(new Map(orders.filter(isPresence).filter((p) => p.viewers.length > 0).map((p) => [p.order_id, p.viewers])));
}

export function applyPresenceChange(payload: unknown): void {
  if (!isPresence(payload)) return;
  const next = new Map(viewersByOrder.get());
  if (payload.viewers.length === 0) next.delete(payload.order_id);
  else next.set(payload.order_id, payload.viewers);
  viewersByOrder.set(next);
}

export function clearPresence(): void {
  viewersByOrder.set(new Map());
}

/** The users who have `orderId` open (this user included, when they do). */
export function viewersOf(orderId: string): readonly string[] {
  return viewersByOrder.get().get(orderId) ?? NOBODY;
}

export function useOrderViewers(orderId: string): readonly string[] {
  return useSyncExternalStore(viewersByOrder.subscribe, () => viewersOf(orderId), () => NOBODY);
}

/** This dashboard has `orderId` open now (null: none); the connection tells the gateway. */
export function setOpenOrder(orderId: string | null): void {
  opened.set(orderId);
}

/** Says, while mounted, that this dashboard has `orderId` open. */
export function useAnnounceOpen(orderId: string): void {
  useEffect(() => {
    setOpenOrder(orderId);
    return () => {
      if (opened.get() === orderId) setOpenOrder(null);
    };
  }, [orderId]);
}

/** Wires presence to `socket`; returns the unwiring. */
export function linkPresence(socket: Socket): () => void {
  // What this connection was last told; a new connection has been told nothing.
  let announced: string | null = null;
  const announce = () => {
    const id = opened.get();
    if (!socket.connected || id === announced) return;
    announced = id;
    if (id) socket.emit("presence.open", { order_id: id });
    else socket.emit("presence.close");
  };
  const onConnect = () => {
    announced = null;
    announce();
  };
  const onDisconnect = () => clearPresence();
  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);
  socket.on("presence.snapshot", applyPresenceSnapshot);
  socket.on("presence.changed", applyPresenceChange);
  const unsubscribe = opened.subscribe(announce);
  return () => {
    unsubscribe();
    socket.off("connect", onConnect);
    socket.off("disconnect", onDisconnect);
    socket.off("presence.snapshot", applyPresenceSnapshot);
    socket.off("presence.changed", applyPresenceChange);
    clearPresence();
  };
}
