import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { DEFAULT_FILTERS } from "../filters";
import { orderKeys } from "../keys";
import { peopleFrom } from "../people";
import type { OrderListData } from "../realtime/cache-reducer";
import { orderSyncFor } from "../realtime/order-sync";
import { listData, makeDetail, makeOrder } from "../test/fixtures";
import type { OrderListItem } from "../types";
import { OrderActions } from "./order-actions";

const agent = { id: "g1", display_name: "Anan Agent", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const names = peopleFrom([{ id: "g1", display_name: "Anan Agent", active: true, works_orders: true }]);

let fetchMock: ReturnType<typeof vi.fn>;

function respond(status: number, body: unknown, type = "application/json") {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

const writes = () => fetchMock.mock.calls.filter(([, init]) => init?.method !== undefined && init.method !== "GET");
const sentBody = (i = 0) => JSON.parse(String((writes()[i] as [string, RequestInit])[1].body));

beforeEach(() => {
  fetchMock = vi.fn(async () => respond(500, {}));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** An agent's own order in the board's cache, its actions rendered. */
function setup(overrides: Partial<OrderListItem> = {}) {
  const order = makeOrder({ status: "CONFIRMED", assignee_id: "g1", version: 7, ...overrides });
  const view = renderWithProviders(<OrderActions order={order} actor={agent} people={names} />);
  orderSyncFor(view.queryClient).ledger.record(order);
  view.queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
  const row = () => view.queryClient.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];
  return { order, row, user: userEvent.setup({ delay: null }), ...view };
}

async function openDialog(user: ReturnType<typeof userEvent.setup>, number: string) {
  await user.click(screen.getByRole("button", { name: "Cancel order" }));
  return screen.getByRole("dialog", { name: `Cancel order ${number}?` });
}

// Each test walks the whole dialog with the keyboard and pointer: more than the default 5 s on a busy machine.
describe("'Cancel order' asks for a reason first", { timeout: 15_000 }, () => {
  it("opens a dialog named with the order number, focus on the list of reasons, nothing sent", async () => {
    const { order, user } = setup();
    const dialog = await openDialog(user, order.number);
    expect(dialog).toHaveAccessibleDescription(/cannot change any more/);
    const reasons = within(dialog).getAllByRole("radio").map((r) => r.closest("label")?.textContent);
    expect(reasons).toEqual(["Customer asked", "Out of stock", "Payment failed", "Duplicate order", "Suspected fraud", "Other"]);
    expect(within(dialog).getByRole("radio", { name: "Customer asked" })).toHaveFocus();
    expect(within(dialog).getByRole("textbox", { name: "Details (optional)" })).toBeInTheDocument();
    expect(writes()).toHaveLength(0);
  });

  it("Esc closes it and changes nothing, even with a reason chosen and text typed", async () => {
    const { order, row, user } = setup();
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Duplicate order" }));
    await user.click(within(dialog).getByRole("textbox"));
    await user.paste("same as ORD-1");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(writes()).toHaveLength(0);
    expect(row()).toMatchObject({ status: "CONFIRMED", version: 7 });
    // Focus goes back to where the user was.
    expect(screen.getByRole("button", { name: "Cancel order" })).toHaveFocus();
  });

  it("'Keep the order' closes it too, sending nothing", async () => {
    const { order, user } = setup();
    await openDialog(user, order.number);
    await user.click(screen.getByRole("button", { name: "Keep the order" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(writes()).toHaveLength(0);
  });

  it("no reason chosen: says so next to the list, sends nothing", async () => {
    const { order, user } = setup();
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    expect(within(dialog).getByRole("group", { name: "Reason" })).toHaveAccessibleDescription("Choose a reason.");
    expect(within(dialog).getByRole("radio", { name: "Customer asked" })).toHaveFocus();
    expect(writes()).toHaveLength(0);
  });

  it("'Other' requires the text: refused next to the field without sending; with it, code, text and version are sent", async () => {
    const { order, row, user } = setup();
    fetchMock.mockImplementation(async () => respond(200, makeDetail({ ...order, status: "CANCELLED", version: 8 })));
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Other" }));
    const text = within(dialog).getByRole("textbox", { name: "Details (required for Other)" });
    expect(text).toHaveAttribute("aria-required", "true");
    await user.click(text);
    await user.paste("   ");
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    expect(text).toHaveAttribute("aria-invalid", "true");
    // Blank text counts as none: nothing to send.
    expect(text).toHaveAccessibleDescription("0 of 500 characters Say what the other reason is.");
    expect(text).toHaveFocus();
    expect(writes()).toHaveLength(0);

    await user.paste("Customer moved abroad ");
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    const [url, init] = writes()[0] as [string, RequestInit];
    expect(url).toBe(`http://localhost:8080/api/v1/orders/${order.id}/cancel`);
    expect(init.method).toBe("POST");
    expect(sentBody()).toEqual({ reason: { code: "other", text: "Customer moved abroad" }, version: 7 });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(row()).toMatchObject({ status: "CANCELLED", version: 8 });
  });

  it("a listed reason needs no text; the version sent is the one seen when the dialog opened", async () => {
    const { order, user, rerender } = setup();
    fetchMock.mockImplementation(async () => respond(409, { type: "urn:lom:problem:version-conflict", title: "Conflict", status: 409 }, "application/problem+json"));
    const dialog = await openDialog(user, order.number);
    // A colleague's change arrives while the dialog is open: the user decided on version 7.
    rerender(<OrderActions order={{ ...order, version: 8 }} actor={agent} people={names} />);
    await user.click(within(dialog).getByRole("radio", { name: "Out of stock" }));
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(sentBody()).toEqual({ reason: { code: "out_of_stock" }, version: 7 });
  });

  it("counts the text and refuses more than 500 characters before sending", async () => {
    const { order, user } = setup();
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Payment failed" }));
    const text = within(dialog).getByRole("textbox");
    await user.click(text);
    await user.paste("é".repeat(501));
    expect(within(dialog).getByText("501 of 500 characters")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    expect(text).toHaveAccessibleDescription("501 of 500 characters At most 500 characters: shorten it by 1.");
    expect(writes()).toHaveLength(0);
  });

  it("a 422 naming reason.text is shown next to the field and the dialog stays open", async () => {
    const { order, user } = setup();
    fetchMock.mockImplementation(async () =>
      respond(422, { type: "urn:lom:problem:validation-failed", title: "Invalid", status: 422, errors: [{ field: "reason.text", message: "must not contain control characters" }] }, "application/problem+json"),
    );
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Customer asked" }));
    await user.click(within(dialog).getByRole("textbox"));
    await user.paste("wants it later");
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    const text = within(dialog).getByRole("textbox");
    await waitFor(() => expect(text).toHaveAttribute("aria-invalid", "true"));
    expect(text).toHaveAccessibleDescription(/Write one line of at most 500 characters/);
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("a 409 closes the dialog, shows the conflict message and the order as it is now", async () => {
    const { order, row, user } = setup();
    const current = makeDetail({ ...order, status: "SHIPPED", version: 9 });
    fetchMock.mockImplementation(async () =>
      respond(409, { type: "urn:lom:problem:version-conflict", title: "Conflict", status: 409, current }, "application/problem+json"),
    );
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Duplicate order" }));
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone else changed this order meanwhile");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(row()).toMatchObject({ status: "SHIPPED", version: 9 });
  });

  it("offline: the dialog says so and keeps the reason, nothing is sent; offline at the button, it does not open", async () => {
    const { order, user } = setup();
    const dialog = await openDialog(user, order.number);
    await user.click(within(dialog).getByRole("radio", { name: "Suspected fraud" }));
    const onLine = vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    await user.click(within(dialog).getByRole("button", { name: "Cancel order" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("You are offline: nothing was changed.");
    expect(within(dialog).getByRole("radio", { name: "Suspected fraud" })).toBeChecked();
    await user.click(within(dialog).getByRole("button", { name: "Keep the order" }));
    await user.click(screen.getByRole("button", { name: "Cancel order" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("alert")).toHaveTextContent("You are offline: nothing was changed.");
    expect(writes()).toHaveLength(0);
    onLine.mockRestore();
  });
});
