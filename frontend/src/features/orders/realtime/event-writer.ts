/**
 * The stream's cache-writing path: checks each event's shape, collects the changes of a burst
 * and writes them into every cached list, stats and detail at once (`applySnapshots`, through
 * the version ledger), then reports each accepted change. A change waits `batchMs` for others to
 * join it, and writes are at least `minGapMs` apart: a lone event shows at once, while under a
 * burst (hundreds a second) the board renders a few times a second instead of every frame,
 * which kept its main thread busy (docs/benchmarks.md, the dashboard). An `order.left` carries
 * only the id and version: it is written from what this viewer last knew.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { OrderEvent, OrderLeftEvent, OrderListItem } from "../types";
import { applySnapshots } from "./apply-to-cache";
import { toListItem, type SnapshotChange } from "./cache-reducer";
import type { OrderSync } from "./order-sync";

export interface EventWriter {
  /** Queues a full snapshot (`order.created`, `order.updated`, `order.deleted`). */
  write(type: OrderEvent["type"], order: OrderListItem): void;
  /** Queues the removal of an order taken away from this viewer; nothing if it never knew it. */
  writeLeft(event: OrderLeftEvent): void;
  /** Writes what is queued now, whatever the gap (before a refetch, so it does not land on top of fresher data). */
  flush(): void;
  /** Drops what is queued and writes nothing more. */
  close(): void;
}

/** How long a change waits for others to join it. */
export const BATCH_MS = 16;
/** The least time between two writes (each one re-renders the board). */
export const MIN_GAP_MS = 200;

export interface EventWriterOptions {
  queryClient: QueryClient;
  sync: OrderSync;
  batchMs?: number;
  minGapMs?: number;
  /** `previous`: the order as this viewer knew it before the burst, if it did. */
  onApplied?(type: SnapshotChange["type"], order: OrderListItem, previous: OrderListItem | undefined): void;
}

/** Whether a payload is `{seq, order: {id, version}}` (an order event or `order.left`). */
export function isStreamEvent<T extends OrderEvent | OrderLeftEvent>(value: unknown): value is T {
  const event = value as T | null;
  return (
    typeof event === "object" &&
    event !== null &&
    typeof event.seq === "number" &&
    typeof event.order === "object" &&
    event.order !== null &&
    typeof event.order.id === "string" &&
    typeof event.order.version === "number"
  );
}

export function createEventWriter(options: EventWriterOptions): EventWriter {
  const { queryClient, sync } = options;
  let pending: SnapshotChange[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let lastWrite = -Infinity;
  const batchMs = options.batchMs ?? BATCH_MS;
  const minGapMs = options.minGapMs ?? MIN_GAP_MS;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || closed) return;
    const batch = pending;
    pending = [];
    lastWrite = Date.now();
    const before = new Map(batch.map((change) => [change.order.id, sync.ledger.get(change.order.id)]));
    for (const change of applySnapshots(queryClient, sync.ledger, batch, sync.viewer)) {
      options.onApplied?.(change.type, change.order, before.get(change.order.id));
    }
  };

  const queue = (change: SnapshotChange) => {
    pending.push(change);
    timer ??= setTimeout(flush, Math.max(batchMs, lastWrite + minGapMs - Date.now()));
  };

  return {
    write: (type, order) => queue({ type, order: toListItem(order) }),
    writeLeft(event) {
      const id = event.order.id;
      const known = pending.findLast((change) => change.order.id === id)?.order ?? sync.ledger.get(id);
      if (known) queue({ type: "order.left", order: { ...known, assignee_id: event.order.assignee_id ?? null, version: event.order.version } });
    },
    flush,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      pending = [];
    },
  };
}
