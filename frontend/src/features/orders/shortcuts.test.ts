import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/permissions";
import { assignToMeStep } from "./permissions";
import { assigneeFilterChoices, shortcutsFor } from "./shortcuts";
import { makeOrder } from "./test/fixtures";

const admin: Actor = {
  id: "a",
  permissions: ["orders:read", "orders:update", "orders:create", "orders:assign", "orders:delete", "users:read", "users:manage"],
};
const dispatcher: Actor = { id: "d", permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"] };
const agent: Actor = { id: "g", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const viewer: Actor = { id: "v", permissions: ["orders:read"] };

const ids = (actor: Actor) => shortcutsFor(actor).map((s) => s.id);

describe("shortcut hints per role", () => {
  it("admin and dispatcher: every shortcut, 'select' and 'assign to me' included", () => {
    expect(ids(admin)).toEqual(["move", "open", "select", "assignToMe", "search", "close", "help"]);
    expect(ids(dispatcher)).toEqual(["move", "open", "select", "assignToMe", "search", "close", "help"]);
  });

  it("agent: selects for bulk actions on its own orders, but no 'assign to me' (cannot assign)", () => {
    expect(ids(agent)).toEqual(["move", "open", "select", "search", "close", "help"]);
  });

  it("viewer: neither 'select' nor 'assign to me' (changes nothing)", () => {
    expect(ids(viewer)).toEqual(["move", "open", "search", "close", "help"]);
  });
});

describe("assignee filter per role", () => {
  it("a viewer filters by person but has no 'Mine' (nothing can be theirs)", () => {
    expect(assigneeFilterChoices(viewer)).toEqual({ show: true, mine: false });
  });

  it("an agent has no assignee filter (only their own orders)", () => {
    expect(assigneeFilterChoices(agent)).toEqual({ show: false, mine: false });
  });

  it("admin and dispatcher have 'Mine'", () => {
    expect(assigneeFilterChoices(admin)).toEqual({ show: true, mine: true });
    expect(assigneeFilterChoices(dispatcher)).toEqual({ show: true, mine: true });
  });
});

describe("what 'a' does", () => {
  it("assigns an unassigned order at once, asks for a colleague's, does nothing on one's own", () => {
    expect(assignToMeStep(dispatcher, makeOrder({ assignee_id: null }))).toBe("assign");
    expect(assignToMeStep(dispatcher, makeOrder({ assignee_id: "g" }))).toBe("confirm");
    expect(assignToMeStep(dispatcher, makeOrder({ assignee_id: "d" }))).toBe("none");
  });

  it("does nothing for those who cannot assign", () => {
    expect(assignToMeStep(viewer, makeOrder())).toBe("none");
    expect(assignToMeStep(agent, makeOrder({ assignee_id: "x" }))).toBe("none");
  });
});
