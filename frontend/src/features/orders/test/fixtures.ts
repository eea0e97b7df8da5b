import type { OrderListItem, OrderPage } from "../types";
import type { OrderListData } from "../realtime/cache-reducer";

let counter = 0;

export function makeOrder(overrides: Partial<OrderListItem> = {}): OrderListItem {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    number: `ORD-${1000 + counter}`,
    status: "PENDING",
    priority: "normal",
    customer: { name: `Customer ${counter}`, email: `c${counter}@example.com` },
    items_count: 2,
    total_minor: 129900,
    currency: "THB",
    assignee: null,
    version: 1,
    created_at: "2026-11-26T10:00:00.000Z",
    updated_at: "2026-11-26T10:00:00.000Z",
    ...overrides,
  };
}

export function listData(...pages: Array<{ items: OrderListItem[]; next_cursor?: string | null }>): OrderListData {
  const built: OrderPage[] = pages.map((p) => ({ items: p.items, next_cursor: p.next_cursor ?? null }));
  return { pages: built, pageParams: built.map((_, i) => (i === 0 ? null : `cursor-${i}`)) };
}

export const ids = (data: OrderListData | undefined) => data?.pages.flatMap((p) => p.items.map((o) => o.number)) ?? [];
