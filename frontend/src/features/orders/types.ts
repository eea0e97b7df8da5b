/**
 * Order DTOs. The REST shapes are generated from the gateway's OpenAPI document
 * (`docs/openapi/gateway.json` → `src/lib/api-schema.ts`, `npm run api-types`): the names here
 * are aliases, so the Rust definitions stay the one source. The socket's shapes (AsyncAPI,
 * `docs/asyncapi.yaml`) are not in that document and are written here.
 * Money is integer minor units of `currency`; statuses are upper-case, priorities lower-case.
 */
import { orderStatusValues, type components } from "@/lib/api-schema";

type Schemas = components["schemas"];

export type OrderStatus = Schemas["OrderStatus"];
/** Every status, in the order of the status machine. */
export const ORDER_STATUSES = orderStatusValues;

export type OrderPriority = Schemas["Priority"];

/** The list-row snapshot (`OrderRow`): what `GET /orders` items and socket events carry. */
export type OrderListItem = Schemas["OrderRow"];

/** Why an order was cancelled: a code from a fixed list, free text required for `other`. */
export type CancelReasonCode = Schemas["CancelReasonCode"];
export type CancelReason = Schemas["CancelReason"];

/**
 * One timeline entry (`kind`: status, assignment, priority, note). A status entry without
 * `from_status` is the creation; an assignment without `assignee_id` is an unassignment; a note
 * entry without `note` cleared it. Absent members are omitted by the server.
 */
export type OrderHistoryEntry = Schemas["HistoryEntry"];

/** `GET /orders/{id}`, and the body of `PATCH`, `POST …/assign`, `POST /orders` and a 409 `current`. */
export type OrderDetail = Schemas["OrderDetail"];

/** `GET /orders` page. */
export type OrderPage = Schemas["OrderPage"];

/** `GET /orders/stats`: every status is present (zeros included). */
export type OrderStats = Schemas["OrderStats"];

/** `PATCH /orders/{id}` body (`note: null` clears the note). */
export type UpdateOrderInput = Schemas["UpdateOrderRequest"];

/** `POST /orders/{id}/assign` body; `null` unassigns. */
export type AssignOrderInput = Schemas["AssignOrderRequest"];

/** `POST /orders/bulk`: one action (`assign`, `status`, `cancel`) on up to 200 `{id, version}` items. */
export type BulkRequest = Omit<Schemas["BulkRequest"], "action"> & { action: BulkAction };
/** The cancel action's reason is the one the cancel dialog builds (`CancelReason`, checked there). */
export type BulkAction = Exclude<Schemas["BulkAction"], { type: "cancel" }> | { type: "cancel"; reason: CancelReason };
/** One item's result, in request order: `order` when done or in conflict, `problem` unless done. */
export type BulkResult = Schemas["BulkResult"];
export type BulkOutcome = Schemas["BulkOutcome"];
export type BulkResponse = Schemas["BulkResponse"];

export type OrderEventType = Schemas["EventType"];

/** `GET /orders/workload`: one person's open orders. */
export type AssigneeWorkload = Schemas["AssigneeWorkload"];

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
  /** Who holds the order now (null: nobody); absent from gateways older than this field. */
  order: { id: string; version: number; assignee_id?: string | null };
}

/** `orders.resync`: `history-unavailable`, `stream-restarted`, `events-lost`, `gateway-resubscribed`. */
/**
 * `orders.batch`: events that waited together at the gateway, each as it would have come alone
 * (its `type` names it), in `seq` order. Only to a socket whose handshake asked (`auth.batch`).
 */
export interface OrderBatchEvent {
  events: Array<(OrderEvent | OrderLeftEvent) & { type: string }>;
}

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
