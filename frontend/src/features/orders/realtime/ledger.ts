/**
 * The newest version the dashboard has seen of each order, from fetches, events and mutation
 * responses alike. It is what makes "never older over newer" hold across all caches: a snapshot
 * is applied only when it is newer than the ledger's, and fetched pages are reconciled against it.
 */
import type { OrderListItem } from "../types";

interface Entry {
  snapshot: OrderListItem;
  deleted: boolean;
}

export class OrderLedger {
  private readonly entries = new Map<string, Entry>();

  get(id: string): OrderListItem | undefined {
    return this.entries.get(id)?.snapshot;
  }

  isDeleted(id: string): boolean {
    return this.entries.get(id)?.deleted ?? false;
  }

  /** True when `order` is not newer than what is known (or the order was deleted). */
  isStale(order: Pick<OrderListItem, "id" | "version">): boolean {
    const entry = this.entries.get(order.id);
    if (!entry) return false;
    return entry.deleted || entry.snapshot.version >= order.version;
  }

  /**
   * Records a snapshot if it is newer; returns whether it was. A deletion is final, and may carry
   * the same version as the last update.
   */
  record(order: OrderListItem, deleted = false): boolean {
    const entry = this.entries.get(order.id);
    if (entry) {
      if (entry.deleted) return false;
      const newer = deleted ? order.version >= entry.snapshot.version : order.version > entry.snapshot.version;
      if (!newer) return false;
    }
    this.entries.set(order.id, { snapshot: order, deleted });
    return true;
  }

  /** Records fetched rows (never overriding newer knowledge). */
  observe(orders: Iterable<OrderListItem>): void {
    for (const order of orders) this.record(order);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
