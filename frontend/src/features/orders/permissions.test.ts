import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/permissions";
import { allowedAssignActions, allowedStatusActions, canChangePriority, canDeleteOrder, canReadOrder, canUpdateOrder } from "./permissions";
import { makeOrder } from "./test/fixtures";

const admin: Actor = {
  id: "a",
  permissions: ["orders:read", "orders:update", "orders:create", "orders:assign", "orders:delete", "users:read", "users:manage"],
};
const dispatcher: Actor = { id: "d", permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"] };
const agent: Actor = { id: "g", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const viewer: Actor = { id: "v", permissions: ["orders:read"] };

const pending = makeOrder({ status: "PENDING" });
const mineAsAgent = makeOrder({ status: "PROCESSING", assignee_id: "g" });

describe("status actions", () => {
  it("follow the status machine for users who may update all orders", () => {
    expect(allowedStatusActions(dispatcher, pending)).toEqual(["CONFIRMED", "CANCELLED"]);
    expect(allowedStatusActions(admin, makeOrder({ status: "SHIPPED" }))).toEqual(["DELIVERED"]);
    expect(allowedStatusActions(admin, makeOrder({ status: "DELIVERED" }))).toEqual([]);
    expect(allowedStatusActions(admin, makeOrder({ status: "CANCELLED" }))).toEqual([]);
  });

  it("let an agent act only on orders assigned to them", () => {
    expect(allowedStatusActions(agent, mineAsAgent)).toEqual(["SHIPPED", "CANCELLED"]);
    expect(allowedStatusActions(agent, pending)).toEqual([]);
    expect(canUpdateOrder(agent, makeOrder({ assignee_id: "someone" }))).toBe(false);
  });

  it("give a viewer or nobody nothing", () => {
    expect(allowedStatusActions(viewer, pending)).toEqual([]);
    expect(allowedStatusActions(null, pending)).toEqual([]);
  });
});

describe("assign actions", () => {
  it("let a dispatcher assign, assign to self and unassign", () => {
    expect(allowedAssignActions(dispatcher, pending)).toEqual({ assign: true, assignToMe: true, unassign: false });
    const assignedToSelf = makeOrder({ assignee_id: "d" });
    expect(allowedAssignActions(dispatcher, assignedToSelf)).toEqual({ assign: true, assignToMe: false, unassign: true });
  });

  it("give agents and viewers no assign actions", () => {
    expect(allowedAssignActions(agent, mineAsAgent)).toEqual({ assign: false, assignToMe: false, unassign: false });
    expect(allowedAssignActions(viewer, pending)).toEqual({ assign: false, assignToMe: false, unassign: false });
  });

  it("do not offer 'assign to me' to someone who cannot work orders", () => {
    const assigner: Actor = { id: "x", permissions: ["orders:read", "orders:assign"] };
    expect(allowedAssignActions(assigner, pending)).toEqual({ assign: true, assignToMe: false, unassign: false });
  });
});

describe("read and delete", () => {
  it("scope agents' reads to their orders", () => {
    expect(canReadOrder(agent, mineAsAgent)).toBe(true);
    expect(canReadOrder(agent, pending)).toBe(false);
    expect(canReadOrder(viewer, pending)).toBe(true);
  });

  it("reserve delete for orders:delete", () => {
    expect(canDeleteOrder(dispatcher)).toBe(true);
    expect(canDeleteOrder(agent)).toBe(false);
  });
});

describe("priority", () => {
  it("changes by those who may update the order (agents only their own), until it is final", () => {
    expect(canChangePriority(dispatcher, pending)).toBe(true);
    expect(canChangePriority(admin, makeOrder({ status: "SHIPPED" }))).toBe(true);
    expect(canChangePriority(agent, mineAsAgent)).toBe(true);
    expect(canChangePriority(agent, pending)).toBe(false);
    expect(canChangePriority(viewer, pending)).toBe(false);
    expect(canChangePriority(null, pending)).toBe(false);
    expect(canChangePriority(dispatcher, makeOrder({ status: "DELIVERED" }))).toBe(false);
    expect(canChangePriority(agent, makeOrder({ status: "CANCELLED", assignee_id: "g" }))).toBe(false);
  });
});
