/**
 * Order DTOs as the gateway sends them (SPEC §4, §7). Kept in this one file so they can be
 * aligned with the backend's OpenAPI document in one place.
 */

export const ORDER_STATUSES = ["PENDING", "CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderPriority = "normal" | "high";

export interface UserRef {
  id: string;
  display_name: string;
  email?: string;
}

export interface CustomerSummary {
  name: string;
  email: string;
}

/** The list-row snapshot: what `GET /orders` items and socket events carry. */
export interface OrderListItem {
  id: string;
  number: string;
  status: OrderStatus;
  priority: OrderPriority;
  customer: CustomerSummary;
  items_count: number;
  /** Integer minor units (satang for THB). */
  total_minor: number;
  currency: string;
  assignee: UserRef | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Customer extends CustomerSummary {
  phone?: string | null;
}

export interface ShippingAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postal_code: string;
  country: string;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  line_total_minor: number;
}

export type OrderHistoryEntry =
  | {
      kind: "status";
      at: string;
      actor: UserRef | null;
      from_status: OrderStatus | null;
      to_status: OrderStatus;
    }
  | {
      kind: "assignment";
      at: string;
      actor: UserRef | null;
      assignee: UserRef | null;
    };

/** `GET /orders/{id}`. */
export interface OrderDetail extends OrderListItem {
  customer: Customer;
  shipping_address: ShippingAddress;
  items: OrderLine[];
  subtotal_minor: number;
  shipping_minor?: number;
  note?: string | null;
  history: OrderHistoryEntry[];
}

/** `GET /orders` page. */
export interface OrderPage {
  items: OrderListItem[];
  next_cursor: string | null;
}

/** `GET /orders/stats`. */
export interface OrderStats {
  counts: Partial<Record<OrderStatus, number>>;
  created_last_hour: number;
}

export type OrderEventType = "order.created" | "order.updated" | "order.deleted";

/** Server → client socket event envelope. */
export interface OrderEvent {
  seq: number;
  event_id: string;
  type: OrderEventType;
  occurred_at: string;
  order: OrderListItem;
}

export interface ResyncEvent {
  reason: string;
}

/** `PATCH /orders/{id}` body. */
export interface UpdateOrderInput {
  status?: OrderStatus;
  priority?: OrderPriority;
  note?: string;
  version: number;
}

/** `POST /orders/{id}/assign` body. */
export interface AssignOrderInput {
  assignee_id: string | null;
  version: number;
}
