/**
 * Order DTOs exactly as the gateway sends them. The Rust definitions are the source of truth:
 * - list row / event snapshot: `libs/contracts/src/order.rs` (`OrderRow`) and `event.rs`;
 * - detail, page, stats: `services/orders/src/views.rs`;
 * - request bodies: `services/orders/src/routes/orders/{update,assign}.rs`.
 * Accounts (the assign picker's staff) are the users feature's `UserAccount`.
 * Money is integer minor units of `currency`; statuses are upper-case, priorities lower-case.
 */

export const ORDER_STATUSES = ["PENDING", "CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderPriority = "normal" | "high";

/** The list-row snapshot (`OrderRow`): what `GET /orders` items and socket events carry. */
export interface OrderListItem {
  id: string;
  /** e.g. `ORD-000123`. */
  number: string;
  status: OrderStatus;
  priority: OrderPriority;
  customer_name: string;
  customer_email: string;
  assignee_id: string | null;
  /** Integer minor units (satang for THB). */
  total: number;
  /** ISO 4217. */
  currency: string;
  item_count: number;
  /** Bumped by every change: a snapshot is applied only when its version is newer. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

export interface ShippingAddress {
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  country: string;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  /** Minor units. */
  unit_price: number;
  /** `unit_price × quantity`, minor units. */
  line_total: number;
}

/** Why an order was cancelled: a code from a fixed list, free text required for `other`. */
export type CancelReasonCode =
  | "customer_request"
  | "out_of_stock"
  | "payment_failed"
  | "duplicate"
  | "suspected_fraud"
  | "other";

export interface CancelReason {
  code: CancelReasonCode;
  text?: string;
}

/**
 * One timeline entry. A status entry without `from_status` is the creation; an assignment
 * without `assignee_id` is an unassignment; a note entry without `note` cleared it. Absent
 * members are omitted by the server, not null.
 */
export type OrderHistoryEntry =
  | {
      kind: "status";
      at: string;
      actor_id: string;
      from_status?: OrderStatus;
      to_status?: OrderStatus;
      reason?: CancelReason;
    }
  | {
      kind: "priority";
      at: string;
      actor_id: string;
      from_priority?: OrderPriority;
      to_priority?: OrderPriority;
    }
  | {
      kind: "note";
      at: string;
      actor_id: string;
      previous_note?: string;
      note?: string;
    }
  | {
      kind: "assignment";
      at: string;
      actor_id: string;
      previous_assignee_id?: string;
      assignee_id?: string;
    };

/** `GET /orders/{id}`, and the body of `PATCH`, `POST …/assign`, `POST /orders` and a 409 `current`. */
export interface OrderDetail {
  id: string;
  number: string;
  status: OrderStatus;
  priority: OrderPriority;
  customer: Customer;
  shipping_address: ShippingAddress;
  items: OrderLine[];
  assignee_id: string | null;
  note: string | null;
  /** Sum of line totals, minor units. */
  total: number;
  currency: string;
  item_count: number;
  version: number;
  created_at: string;
  updated_at: string;
  history: OrderHistoryEntry[];
}

/** `GET /orders` page. */
export interface OrderPage {
  items: OrderListItem[];
  next_cursor: string | null;
}

/** `GET /orders/stats`: every status is present (zeros included). */
export interface OrderStats {
  counts: Partial<Record<OrderStatus, number>>;
  total: number;
  created_last_hour: number;
}

export type OrderEventType = "order.created" | "order.updated" | "order.deleted";

/**
 * Server → client socket event. The gateway strips `actor` and `previous` from the Redis
 * envelope: a dashboard gets `{seq, event_id, type, occurred_at, order}` only.
 */
export interface OrderEvent {
  seq: number;
  event_id: string;
  type: OrderEventType;
  occurred_at: string;
  order: OrderListItem;
}

/**
 * `order.left`: sent instead of the full snapshot to a socket that follows only its own orders
 * (an agent's) when a change took the order away from them (another assignee, or none). It says
 * which order left and at which version, nothing the socket may no longer read.
 */
export interface OrderLeftEvent {
  seq: number;
  event_id: string;
  type: "order.left";
  occurred_at: string;
  order: { id: string; version: number };
}

/** `orders.resync`: `history-unavailable`, `stream-restarted`, `events-lost`, `gateway-resubscribed`. */
export interface ResyncEvent {
  reason: string;
}

/** Ack of `subscribe`. */
export type SubscribeAck =
  | { ok: true; statuses: OrderStatus[] | null; assignee: "me" | null }
  | { ok: false; error: string };

/** Ack of `resume`: `outcome` is `{replayed: {count}}` or `"resync"`; `last_seq` is the gateway's newest. */
export type ResumeAck =
  | { ok: true; outcome: { replayed: { count: number } } | "resync"; last_seq: number }
  | { ok: false; error: string };

/** `PATCH /orders/{id}` body (`note: null` clears the note). */
export interface UpdateOrderInput {
  status?: OrderStatus;
  priority?: OrderPriority;
  note?: string | null;
  version: number;
}

/** `POST /orders/{id}/assign` body; `null` unassigns. */
export interface AssignOrderInput {
  assignee_id: string | null;
  version: number;
}
