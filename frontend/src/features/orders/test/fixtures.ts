import type { UserAccount, UserName } from "@/features/users/types";
import type { OrderViewer } from "../filters";
import type { OrderListData } from "../realtime/cache-reducer";
import type { OrderDetail, OrderListItem, OrderPage } from "../types";

let counter = 0;

export function makeOrder(overrides: Partial<OrderListItem> = {}): OrderListItem {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    number: `ORD-${1000 + counter}`,
    status: "PENDING",
    priority: "normal",
    customer_name: `Customer ${counter}`,
    customer_email: `c${counter}@example.com`,
    assignee_id: null,
    total: 129900,
    currency: "THB",
    item_count: 2,
    unit_count: 3,
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

/** A full order (as `GET /orders/{id}` and mutations answer) for a row. */
export function makeDetail(row: OrderListItem, overrides: Partial<OrderDetail> = {}): OrderDetail {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    priority: row.priority,
    customer: { id: "00000000-0000-4000-8000-0000000000c1", name: row.customer_name, email: row.customer_email, phone: null },
    shipping_address: { line1: "1 Silom Rd", line2: null, city: "Bangkok", postal_code: "10500", country: "TH" },
    items: [{ sku: "SKU-1", name: "Tea", quantity: 2, unit_price: 64950, line_total: 129900 }],
    assignee_id: row.assignee_id,
    note: null,
    total: row.total,
    currency: row.currency,
    item_count: row.item_count,
    unit_count: row.unit_count,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
    history: [{ kind: "status", at: row.created_at, actor_id: "00000000-0000-4000-8000-0000000000f1", to_status: "PENDING" }],
    ...overrides,
  };
}

/** The lists scope of a user who reads every order. */
export const viewerFor = (userId: string | null, assignedOnly = false): OrderViewer => ({ userId, assignedOnly });

/** An account as `GET /users` and `GET /users/assignable` return it. */
export function makeStaff(id: string, display_name: string, roles: string[] = ["agent"]): UserAccount {
  return {
    id,
    email: `${display_name.split(" ")[0]?.toLowerCase() ?? id}@example.com`,
    display_name,
    roles,
    permissions: roles.includes("agent") ? ["orders:read:assigned", "orders:update:assigned"] : ["orders:read", "orders:update", "orders:assign"],
    active: true,
    created_at: "2026-11-26T08:00:00.000Z",
    updated_at: "2026-11-26T08:00:00.000Z",
  };
}

/** An entry of `GET /users/names`. */
export function makeName(id: string, display_name: string, active = true, works_orders = true): UserName {
  return { id, display_name, active, works_orders };
}
