/**
 * An order action of the audit log in words: its label, and what its `details` say (statuses,
 * priorities and cancellation reasons in the board's words, assignees by name).
 */
import type { MessageKey } from "@/lib/i18n/messages";
import type { OrderAuditAction } from "./types";

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const ORDER_ACTION_LABELS: Record<OrderAuditAction, MessageKey> = {
  "order.created": "audit.action.orderCreated",
  "order.status_changed": "audit.action.statusChanged",
  "order.cancelled": "audit.action.orderCancelled",
  "order.undone": "audit.action.undone",
  "order.assigned": "audit.action.assigned",
  "order.unassigned": "audit.action.unassigned",
  "order.priority_changed": "audit.action.priorityChanged",
  "order.note_changed": "audit.action.noteChanged",
  "order.note_added": "audit.action.noteAdded",
  "order.deleted": "audit.action.orderDeleted",
  "orders.exported": "audit.action.exported",
};

const STATUSES = ["PENDING", "CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED"] as const;
const PRIORITIES = ["normal", "high"] as const;
const REASONS = ["customer_request", "out_of_stock", "payment_failed", "duplicate", "suspected_fraud", "other"] as const;

function known<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

/** What an order action's `details` say, one short phrase each; `nameOf` names an account id. */
export function describeOrderDetails(
  action: string,
  details: Record<string, unknown>,
  t: Translate,
  nameOf: (id: string) => string,
): string[] {
  const { from, to } = details;
  const status = (value: unknown) => (known(STATUSES, value) ? t(`status.${value}`) : String(value));
  const person = (value: unknown) => (typeof value === "string" ? nameOf(value) : t("orders.filters.assignee.unassigned"));
  const move = (show: (value: unknown) => string) =>
    from === undefined ? show(to) : t("audit.order.move", { from: show(from), to: show(to) });
  switch (action) {
    case "order.created":
    case "order.status_changed":
      return [move(status)];
    case "order.cancelled": {
      const phrases = [move(status)];
      if (known(REASONS, details.reason_code)) phrases.push(t("audit.order.reason", { reason: t(`cancelReason.${details.reason_code}`) }));
      if (typeof details.reason_text === "string") phrases.push(details.reason_text);
      return phrases;
    }
    case "order.undone":
      return [details.field === "assignee" ? move(person) : move(status)];
    case "order.assigned":
    case "order.unassigned":
      return [move(person)];
    case "order.priority_changed":
      return [move((value) => (known(PRIORITIES, value) ? t(`priority.${value}`) : String(value)))];
    case "order.note_changed":
      return [typeof to === "string" ? t("audit.order.note", { text: to }) : t("audit.order.noteCleared")];
    case "order.note_added":
      return typeof details.text === "string" ? [t("audit.order.note", { text: details.text })] : [];
    case "orders.exported": {
      const phrases = typeof details.rows === "number" ? [t("audit.order.rows", { count: details.rows })] : [];
      if (typeof details.query === "string" && details.query !== "") phrases.push(t("audit.order.query", { query: details.query }));
      return phrases;
    }
    default:
      return [];
  }
}
