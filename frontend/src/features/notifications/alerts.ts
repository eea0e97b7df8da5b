/**
 * Which live changes alert the user, and how alerts are paced: at most one per interval, the
 * rest of the interval's alerts grouped into the next ("3 new high-priority orders"). Pure: the
 * clock, the timer and the delivery are given, so the rules are tested without a browser.
 */
import type { OrderListItem } from "@/features/orders/types";

/** What an order did to deserve an alert. */
export type AlertKind = "unassigned" | "highPriority" | "assigned";

/** The events the user asked to be alerted about (remembered in their preferences). */
export interface AlertChoice {
  alertUnassigned: boolean;
  alertHighPriority: boolean;
  alertAssigned: boolean;
}

type Change = "order.created" | "order.updated" | "order.deleted" | "order.noted" | "order.left";

/**
 * Why this change alerts `me`, or null: assigned to me now and not before (`previous` is the
 * last snapshot known, if any); a new high-priority order; a new unassigned order.
 */
export function alertKindOf(
  type: Change,
  order: OrderListItem,
  previous: OrderListItem | undefined,
  me: string,
  choice: AlertChoice,
): AlertKind | null {
  if (type !== "order.created" && type !== "order.updated") return null;
  if (choice.alertAssigned && order.assignee_id === me && previous?.assignee_id !== me) return "assigned";
  if (type !== "order.created") return null;
  if (choice.alertHighPriority && order.priority === "high") return "highPriority";
  if (choice.alertUnassigned && order.assignee_id === null) return "unassigned";
  return null;
}

/** Whether a new order is one `choice` alerts `me` about: what the tab title counts. */
export function alertsAboutNewOrder(order: OrderListItem, me: string, choice: AlertChoice): boolean {
  return alertKindOf("order.created", order, undefined, me, choice) !== null;
}

/** Alerts gathered into one notification: the order numbers of each kind, in arrival order. */
export type AlertGroup = Record<AlertKind, string[]>;

export const emptyGroup = (): AlertGroup => ({ unassigned: [], highPriority: [], assigned: [] });

export const groupSize = (group: AlertGroup) => group.unassigned.length + group.highPriority.length + group.assigned.length;

export interface ThrottleOptions {
  /** At most one delivery per this many milliseconds. */
  intervalMs: number;
  now(): number;
  schedule(run: () => void, delayMs: number): () => void;
  deliver(group: AlertGroup): void;
}

export interface AlertThrottle {
  add(kind: AlertKind, number: string): void;
  /** Drops what waits and schedules nothing more. */
  dispose(): void;
}

/**
 * The first alert after a quiet interval goes out at once; alerts within the interval after a
 * delivery wait and go out together when it ends. An order is in a group once.
 */
export function createAlertThrottle(options: ThrottleOptions): AlertThrottle {
  let lastDelivery = Number.NEGATIVE_INFINITY;
  let waiting: AlertGroup | null = null;
  let cancel: (() => void) | null = null;

  const deliver = (group: AlertGroup) => {
    lastDelivery = options.now();
    options.deliver(group);
  };

  const flush = () => {
    cancel = null;
    const group = waiting;
    waiting = null;
    if (group && groupSize(group) > 0) deliver(group);
  };

  return {
    add(kind, number) {
      const since = options.now() - lastDelivery;
      if (!waiting && since >= options.intervalMs) {
        deliver({ ...emptyGroup(), [kind]: [number] });
        return;
      }
      waiting ??= emptyGroup();
      if (!Object.values(waiting).some((numbers) => numbers.includes(number))) waiting[kind].push(number);
      cancel ??= options.schedule(flush, Math.max(0, options.intervalMs - since));
    },
    dispose() {
      cancel?.();
      cancel = null;
      waiting = null;
    },
  };
}
