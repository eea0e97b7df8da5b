/**
 * Every change the live stream applied, for views that keep figures of their own beside the
 * query cache (the KPI page). `useOrderEvents` announces; listeners must not throw.
 */
import type { OrderListItem } from "../types";
import type { SnapshotChange } from "./cache-reducer";

export type AppliedChangeListener = (type: SnapshotChange["type"], order: OrderListItem) => void;

const listeners = new Set<AppliedChangeListener>();

export function announceAppliedChange(type: SnapshotChange["type"], order: OrderListItem): void {
  for (const listener of listeners) listener(type, order);
}

/** Calls `listener` with each applied change until the returned function is called. */
export function onAppliedChange(listener: AppliedChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
