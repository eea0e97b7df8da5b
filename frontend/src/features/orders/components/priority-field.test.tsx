import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { orderKeys } from "../keys";
import { makeDetail, makeOrder } from "../test/fixtures";
import type { OrderDetail, OrderListItem } from "../types";
import { PriorityField } from "./priority-field";

const dispatcher = { id: "d1", permissions: ["orders:read", "orders:update", "orders:assign"] };
const agent = { id: "g1", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const viewer = { id: "v1", permissions: ["orders:read"] };

let fetchMock: ReturnType<typeof vi.fn>;

function respond(status: number, body: unknown, type = "application/json") {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

const patches = () => fetchMock.mock.calls.filter(([, init]) => init?.method === "PATCH");

beforeEach(() => {
  fetchMock = vi.fn(async () => respond(500, {}));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const picker = () => screen.queryByRole("combobox", { name: "Priority" });

describe("priority in the drawer, per role", () => {
  it("a dispatcher changes it with the version they saw", async () => {
    const order = makeDetail(makeOrder({ status: "PENDING", priority: "normal", version: 4 }));
    fetchMock.mockImplementation(async () => respond(200, { ...order, priority: "high", version: 5 }));
    const { queryClient } = renderWithProviders(<PriorityField order={order} actor={dispatcher} />);
    queryClient.setQueryData(orderKeys.detail(order.id), order);
    expect(picker()).toHaveValue("normal");
    await userEvent.setup().selectOptions(picker()!, "high");
    await waitFor(() => expect(patches()).toHaveLength(1));
    const [url, init] = patches()[0] as [string, RequestInit];
    expect(url).toBe(`http://localhost:8080/api/v1/orders/${order.id}`);
    expect(JSON.parse(String(init.body))).toEqual({ priority: "high", version: 4 });
    await waitFor(() => expect(queryClient.getQueryData<OrderDetail>(orderKeys.detail(order.id))).toMatchObject({ priority: "high", version: 5 }));
  });

  it("an agent changes it on their own order, not on a colleague's", () => {
    const own = makeDetail(makeOrder({ status: "PROCESSING", assignee_id: "g1" }));
    const { unmount } = renderWithProviders(<PriorityField order={own} actor={agent} />);
    expect(picker()).toBeEnabled();
    unmount();
    renderWithProviders(<PriorityField order={makeDetail(makeOrder({ status: "PROCESSING", assignee_id: "g2" }))} actor={agent} />);
    expect(picker()).toBeNull();
    expect(screen.getByText("Normal")).toBeInTheDocument();
  });

  it("a viewer sees it read-only", () => {
    renderWithProviders(<PriorityField order={makeDetail(makeOrder({ priority: "high" }))} actor={viewer} />);
    expect(picker()).toBeNull();
    expect(screen.getByText(/High/)).toBeInTheDocument();
  });

  it("a finished order's priority is read-only, even for a dispatcher", () => {
    renderWithProviders(<PriorityField order={makeDetail(makeOrder({ status: "DELIVERED" }))} actor={dispatcher} />);
    expect(picker()).toBeNull();
  });

  it("a 409 says someone else changed the order and shows it as it is now", async () => {
    const row: OrderListItem = makeOrder({ status: "CONFIRMED", priority: "normal", version: 2 });
    const order = makeDetail(row);
    const current = makeDetail({ ...row, priority: "high", status: "PROCESSING", version: 3 });
    fetchMock.mockImplementation(async () =>
      respond(409, { type: "urn:lom:problem:version-conflict", title: "Conflict", status: 409, current }, "application/problem+json"),
    );
    const { queryClient } = renderWithProviders(<PriorityField order={order} actor={dispatcher} />);
    queryClient.setQueryData(orderKeys.detail(order.id), order);
    await userEvent.setup().selectOptions(picker()!, "high");
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone else changed this order meanwhile");
    expect(queryClient.getQueryData<OrderDetail>(orderKeys.detail(order.id))).toMatchObject({ status: "PROCESSING", version: 3 });
  });

  it("the order was delivered meanwhile: the server's 409 order-final says delivered orders cannot change", async () => {
    const order = makeDetail(makeOrder({ status: "SHIPPED", priority: "normal", version: 4 }));
    fetchMock.mockImplementation(async () =>
      respond(409, { type: "urn:lom:problem:order-final", title: "Order is finished", status: 409, order_status: "DELIVERED" }, "application/problem+json"),
    );
    renderWithProviders(<PriorityField order={order} actor={dispatcher} />);
    await userEvent.setup().selectOptions(picker()!, "high");
    expect(await screen.findByRole("alert")).toHaveTextContent("Delivered orders cannot change.");
  });

  it("offline: says so and sends nothing", async () => {
    const order = makeDetail(makeOrder({ status: "PENDING" }));
    renderWithProviders(<PriorityField order={order} actor={dispatcher} />);
    vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    await userEvent.setup().selectOptions(picker()!, "high");
    expect(screen.getByRole("alert")).toHaveTextContent("You are offline: nothing was changed.");
    expect(picker()).toHaveValue("normal");
    expect(patches()).toHaveLength(0);
  });
});
