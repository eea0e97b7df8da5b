import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { DEFAULT_FILTERS } from "../filters";
import { orderKeys } from "../keys";
import type { OrderListData } from "../realtime/cache-reducer";
import { orderSyncFor } from "../realtime/order-sync";
import { listData, makeDetail, makeOrder, makeStaff } from "../test/fixtures";
import { peopleFrom } from "../people";
import { OrderActions } from "./order-actions";

const dispatcher = { id: "d1", display_name: "Dao Dispatcher", permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"] };
const agent = { id: "g1", display_name: "Anan Agent", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const viewer = { id: "v1", display_name: "Wan Viewer", permissions: ["orders:read"] };
// `GET /users/assignable` answers a plain array of accounts.
const people = [makeStaff("d1", "Dao Dispatcher", ["dispatcher"]), makeStaff("g1", "Anan Agent")];

const names = peopleFrom([
  { id: "d1", display_name: "Dao Dispatcher", active: true, works_orders: true },
  { id: "g1", display_name: "Anan Agent", active: true, works_orders: true },
  { id: "g2", display_name: "Mali Agent", active: true, works_orders: true },
]);

let fetchMock: ReturnType<typeof vi.fn>;

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

beforeEach(() => {
  fetchMock = vi.fn(async (url: string) => (String(url).endsWith("/users/assignable") ? respond(200, people) : respond(500, {})));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => vi.unstubAllGlobals());

const buttonNames = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("OrderActions shows only what the status machine and permissions allow", () => {
  it("the assign list: each person with their open orders and email on hover, identical names told apart by email", async () => {
    const twins = [
      { ...makeStaff("m2", "Somchai Jaidee"), email: "a.somchai@example.com" },
      { ...makeStaff("m1", "Somchai Jaidee"), email: "b.somchai@example.com" },
      makeStaff("g1", "Anan Agent"),
    ];
    fetchMock.mockImplementation(async (url: string) => {
      if (String(url).endsWith("/users/assignable")) return respond(200, twins);
      if (String(url).endsWith("/orders/workload")) return respond(200, [{ assignee_id: "m1", open_orders: 4 }]);
      return respond(500, {});
    });
    renderWithProviders(<OrderActions order={makeOrder({ status: "PENDING", assignee_id: null })} actor={dispatcher} people={names} />);
    const picker = screen.getByRole("combobox", { name: "Assign to" });
    await waitFor(() =>
      expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual([
        "Assign…",
        "Anan Agent · 0 open",
        "Somchai Jaidee <a.somchai@example.com> · 0 open",
        "Somchai Jaidee <b.somchai@example.com> · 4 open",
      ]),
    );
    expect(within(picker).getByRole("option", { name: "Anan Agent · 0 open" })).toHaveAttribute("title", "anan@example.com");
  });

  it("dispatcher on a pending unassigned order: confirm, cancel, assign to me, picker", async () => {
    renderWithProviders(<OrderActions order={makeOrder({ status: "PENDING" })} actor={dispatcher} people={names} />);
    expect(buttonNames()).toEqual(["Confirm", "Cancel order", "Assign to me"]);
    const picker = screen.getByRole("combobox", { name: "Assign to" });
    await waitFor(() => expect(within(picker).getAllByRole("option")).toHaveLength(3));
  });

  it("dispatcher on their own shipped order: deliver and unassign, no 'assign to me'", () => {
    const order = makeOrder({ status: "SHIPPED", assignee_id: "d1" });
    renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    expect(buttonNames()).toEqual(["Mark delivered", "Unassign"]);
  });

  it("a delivered order has no status actions, only assignment", () => {
    renderWithProviders(<OrderActions order={makeOrder({ status: "DELIVERED" })} actor={dispatcher} people={names} />);
    expect(buttonNames()).toEqual(["Assign to me"]);
  });

  it("agent on an order assigned to them: status actions, no assignment", () => {
    const order = makeOrder({ status: "PROCESSING", assignee_id: "g1" });
    renderWithProviders(<OrderActions order={order} actor={agent} people={names} />);
    expect(buttonNames()).toEqual(["Mark shipped", "Cancel order"]);
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("agent on someone else's order, and a viewer: nothing to do", () => {
    const other = makeOrder({ status: "PENDING", assignee_id: "x" });
    const { unmount } = renderWithProviders(<OrderActions order={other} actor={agent} people={names} />);
    expect(buttonNames()).toEqual([]);
    expect(screen.getByText("You cannot change this order.")).toBeInTheDocument();
    unmount();
    renderWithProviders(<OrderActions order={makeOrder()} actor={viewer} people={names} />);
    expect(buttonNames()).toEqual([]);
  });
});

describe("OrderActions requests", () => {
  it("sends the status change with the order's version", async () => {
    const order = makeOrder({ status: "PENDING", version: 7 });
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      init?.method === "PATCH" ? respond(200, { ...order, status: "CONFIRMED", version: 8 }) : respond(200, people),
    );
    renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === "PATCH")).toBe(true));
    const [url, init] = fetchMock.mock.calls.find(([, i]) => i?.method === "PATCH") as [string, RequestInit];
    expect(url).toBe(`http://localhost:8080/api/v1/orders/${order.id}`);
    expect(JSON.parse(String(init.body))).toEqual({ status: "CONFIRMED", version: 7 });
  });

  it("assign to me is optimistic and rolls back with a clear message on 409", async () => {
    const order = makeOrder({ status: "PENDING", version: 3 });
    // A 409 carries the full order as it is now (`current`), as orders-service sends it.
    const current = makeDetail({ ...order, version: 4, assignee_id: "g1" });
    let release: (() => void) | undefined;
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (init?.method !== "POST") return respond(200, people);
      await new Promise<void>((resolve) => (release = resolve));
      return new Response(
        JSON.stringify({ type: "urn:lom:problem:version-conflict", title: "Conflict", status: 409, current }),
        { status: 409, headers: { "content-type": "application/problem+json" } },
      );
    });
    const { queryClient } = renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    orderSyncFor(queryClient).ledger.record(order);
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
    const row = () => queryClient.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];

    await userEvent.setup().click(screen.getByRole("button", { name: "Assign to me" }));
    await waitFor(() => expect(row()?.assignee_id).toBe("d1")); // optimistic
    release?.();
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone else changed this order meanwhile");
    expect(row()?.assignee_id).toBe("g1"); // the server's current state, not ours
    expect(row()?.version).toBe(4);
  });

  it("explains a 422 from the assign endpoint and restores the row", async () => {
    const order = makeOrder({ status: "PENDING", version: 1 });
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      init?.method === "POST"
        ? respond(422, { type: "urn:lom:problem:validation-failed", title: "Invalid", status: 422 })
        : respond(200, people),
    );
    const { queryClient } = renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    orderSyncFor(queryClient).ledger.record(order);
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
    const user = userEvent.setup();
    const picker = screen.getByRole("combobox", { name: "Assign to" });
    await waitFor(() => expect(picker).toBeEnabled());
    await user.selectOptions(picker, "g1");
    expect(await screen.findByRole("alert")).toHaveTextContent("That person cannot be assigned orders.");
    expect(queryClient.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0]?.assignee_id).toBeNull();
  });
});

describe("OrderActions on a finished order says it is final, not that the user lacks a permission", () => {
  it("agent on their delivered order, and on their cancelled one", () => {
    const { unmount } = renderWithProviders(<OrderActions order={makeOrder({ status: "DELIVERED", assignee_id: "g1" })} actor={agent} people={names} />);
    expect(screen.getByText("Delivered orders cannot change.")).toBeInTheDocument();
    expect(screen.queryByText("You cannot change this order.")).toBeNull();
    unmount();
    renderWithProviders(<OrderActions order={makeOrder({ status: "CANCELLED", assignee_id: "g1" })} actor={agent} people={names} />);
    expect(screen.getByText("Cancelled orders cannot change.")).toBeInTheDocument();
  });

  it("a viewer on a delivered order is told it is final too", () => {
    renderWithProviders(<OrderActions order={makeOrder({ status: "DELIVERED" })} actor={viewer} people={names} />);
    expect(screen.getByText("Delivered orders cannot change.")).toBeInTheDocument();
  });

  it("a dispatcher, who can still reassign it, is told its status is final", () => {
    renderWithProviders(<OrderActions order={makeOrder({ status: "DELIVERED" })} actor={dispatcher} people={names} />);
    expect(screen.getByText("Delivered orders cannot change status.")).toBeInTheDocument();
  });
});

describe("assign to me on an order a colleague holds asks first", () => {
  const posts = () => fetchMock.mock.calls.filter(([, init]) => init?.method === "POST");

  it("names the colleague; leaving it sends nothing", async () => {
    const order = makeOrder({ status: "PENDING", assignee_id: "g2", version: 5 });
    renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Assign to me" }));
    const dialog = screen.getByRole("alertdialog", { name: `Take over ${order.number}?` });
    expect(dialog).toHaveAccessibleDescription(`${order.number} is assigned to Mali Agent. Taking it moves it to you, and Mali Agent no longer has it.`);
    // The safe choice has the focus: Enter does not take the order.
    expect(within(dialog).getByRole("button", { name: "Leave it with Mali Agent" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(posts()).toHaveLength(0);
  });

  it("taking it over sends the assignment with the version the user saw", async () => {
    const order = makeOrder({ status: "PENDING", assignee_id: "g2", version: 5 });
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      init?.method === "POST" ? respond(200, makeDetail({ ...order, assignee_id: "d1", version: 6 })) : respond(200, people),
    );
    renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Assign to me" }));
    await user.click(screen.getByRole("button", { name: "Take it over" }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0] as [string, RequestInit];
    expect(url).toBe(`http://localhost:8080/api/v1/orders/${order.id}/assign`);
    expect(JSON.parse(String(init.body))).toEqual({ assignee_id: "d1", version: 5 });
  });

  it("an unassigned order stays one click", async () => {
    const order = makeOrder({ status: "PENDING", version: 2 });
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      init?.method === "POST" ? respond(200, makeDetail({ ...order, assignee_id: "d1", version: 3 })) : respond(200, people),
    );
    renderWithProviders(<OrderActions order={order} actor={dispatcher} people={names} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Assign to me" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(posts()).toHaveLength(1));
  });
});
