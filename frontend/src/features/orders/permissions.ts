/** What the signed-in user may do with one order: drives which buttons the board shows. */
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { isTerminal, nextStatuses } from "./status-machine";
import type { OrderViewer } from "./filters";
import type { OrderListItem, OrderStatus } from "./types";

type Assigned = Pick<OrderListItem, "assignee_id">;

function isAssignedTo(order: Assigned, actor: Actor): boolean {
  return order.assignee_id === actor.id;
}

export function canReadOrders(actor: Actor | null): boolean {
  return hasPermission(actor, PERMISSIONS.ordersRead) || hasPermission(actor, PERMISSIONS.ordersReadAssigned);
}

export function canReadOrder(actor: Actor | null, order: Assigned): boolean {
  if (!actor) return false;
  if (hasPermission(actor, PERMISSIONS.ordersRead)) return true;
  return hasPermission(actor, PERMISSIONS.ordersReadAssigned) && isAssignedTo(order, actor);
}

export function canUpdateOrder(actor: Actor | null, order: Assigned): boolean {
  if (!actor) return false;
  if (hasPermission(actor, PERMISSIONS.ordersUpdate)) return true;
  return hasPermission(actor, PERMISSIONS.ordersUpdateAssigned) && isAssignedTo(order, actor);
}

/** Status changes the machine allows from the order's status AND the user may make. */
export function allowedStatusActions(
  actor: Actor | null,
  order: Pick<OrderListItem, "assignee_id" | "status">,
): readonly OrderStatus[] {
  return canUpdateOrder(actor, order) ? nextStatuses(order.status) : [];
}

/** Priority: whoever may update the order (agents only their own), until it is final. */
export function canChangePriority(actor: Actor | null, order: Pick<OrderListItem, "assignee_id" | "status">): boolean {
  return canUpdateOrder(actor, order) && !isTerminal(order.status);
}

/** Whether a user can be given orders at all (works orders: any update permission). */
export function canWorkOrders(actor: Actor | null): boolean {
  return hasPermission(actor, PERMISSIONS.ordersUpdate) || hasPermission(actor, PERMISSIONS.ordersUpdateAssigned);
}

/** Whether the board offers bulk actions (row checkboxes, `x`): to whoever may change or assign orders. */
export function canActInBulk(actor: Actor | null): boolean {
  return canWorkOrders(actor) || hasPermission(actor, PERMISSIONS.ordersAssign);
}

export interface AssignActions {
  /** Open the picker and choose anyone assignable. */
  assign: boolean;
  /** One-click "assign to me". */
  assignToMe: boolean;
  unassign: boolean;
}

/** Whether "assign to me" exists for this user at all: they may assign, and may hold orders. */
export function canTakeOrders(actor: Actor | null): boolean {
  return hasPermission(actor, PERMISSIONS.ordersAssign) && canWorkOrders(actor);
}

/**
 * What "assign to me" does on this order: nothing (not allowed, or already mine), assign at
 * once (nobody holds it), or ask first (a colleague holds it: taking it must never be silent).
 */
export type AssignToMeStep = "none" | "assign" | "confirm";

export function assignToMeStep(actor: Actor | null, order: Assigned): AssignToMeStep {
  if (!allowedAssignActions(actor, order).assignToMe) return "none";
  return order.assignee_id === null ? "assign" : "confirm";
}

export function allowedAssignActions(
  actor: Actor | null,
  order: Assigned,
): AssignActions {
  const mayAssign = hasPermission(actor, PERMISSIONS.ordersAssign);
  if (!actor || !mayAssign) return { assign: false, assignToMe: false, unassign: false };
  return {
    assign: true,
    assignToMe: canTakeOrders(actor) && !isAssignedTo(order, actor),
    unassign: order.assignee_id !== null,
  };
}

/**
 * The lists/events scope of a user: `orders:read` sees every order; `orders:read:assigned` alone
 * (an agent) only those assigned to them.
 */
export function orderViewerOf(actor: Actor | null): OrderViewer {
  if (!actor) return { userId: null, assignedOnly: false };
  return {
    userId: actor.id,
    assignedOnly: !hasPermission(actor, PERMISSIONS.ordersRead) && hasPermission(actor, PERMISSIONS.ordersReadAssigned),
  };
}

/** Whether this user's socket, unfiltered, receives every event of the stream (so a `seq` jump is a loss). */
export function seesWholeStream(actor: Actor | null): boolean {
  return hasPermission(actor, PERMISSIONS.ordersRead);
}

export function canDeleteOrder(actor: Actor | null): boolean {
  return hasPermission(actor, PERMISSIONS.ordersDelete);
}
