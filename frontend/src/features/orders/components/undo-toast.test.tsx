import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { orderKeys } from "../keys";
import { peopleFrom } from "../people";
import { makeDetail, makeOrder } from "../test/fixtures";
import type { OrderDetail } from "../types";
import { undoOffer, offerUndo } from "../undo";
import { OrderActions } from "./order-actions";
import { UndoToast } from "./undo-toast";

const dispatcher = { id: "d1", display_name: "Dao Dispatcher", permissions: ["orders:read", "orders:update", "orders:assign"] };
const names = peopleFrom([{ id: "g1", display_name: "Anan Agent", active: true, works_orders: true }]);
const nameOf = (id: string) => names.get(id)?.display_name ?? id;

let fetchMock: ReturnType<typeof vi.fn>;

function respond(status: number, body: unknown, type = "application/json") {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

const calls = (suffix: string) => fetchMock.mock.calls.filter(([url]) => String(url).endsWith(suffix));

const pending = makeDetail(makeOrder({ id: "o1", number: "ORD-7", status: "PENDING", version: 4 }));
const confirmed: OrderDetail = { ...pending, status: "CONFIRMED", version: 5 };

function board() {
  return renderWithProviders(
    <>
      <OrderActions order={pending} actor={dispatcher} people={names} />
      <UndoToast nameOf={nameOf} />
    </>,
  );
}

beforeEach(() => {
  undoOffer.set(null);
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (String(url).endsWith("/users/assignable")) return respond(200, []);
    if (init?.method === "PATCH") return respond(200, confirmed);
    return respond(500, {});
  });
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  undoOffer.set(null);
});

describe("undo after a change made in the dashboard", () => {
  it("a status change offers Undo for the window; it is sent at the order's current version and restores it", async () => {
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (init?.method === "PATCH") return respond(200, confirmed);
      if (String(url).endsWith("/undo")) return respond(200, { ...pending, version: 6 });
      return respond(200, []);
    });
    const { queryClient } = board();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    const toast = await screen.findByRole("status", { name: "Undo" });
    expect(toast).toHaveTextContent("ORD-7 is now Confirmed.");
    const undo = screen.getByRole("button", { name: /^Undo \((55|54) s\)$/ });

    await user.click(undo);
    await waitFor(() => expect(calls("/orders/o1/undo")).toHaveLength(1));
    const [, init] = calls("/orders/o1/undo")[0] as [string, RequestInit];
    expect(init.method).toBe("POST");
    expect(JSON.parse(String(init.body))).toEqual({ version: 5 });
    await screen.findByText("Undone: ORD-7 is back as it was.");
    expect(queryClient.getQueryData<OrderDetail>(orderKeys.detail("o1"))).toMatchObject({ status: "PENDING", version: 6 });
    expect(screen.queryByRole("button", { name: /^Undo/ })).toBeNull();
  });

  it("someone changed the order since: a 409 says so, and the order shows their version", async () => {
    const theirs = { ...confirmed, status: "PROCESSING" as const, version: 6 };
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (init?.method === "PATCH") return respond(200, confirmed);
      if (String(url).endsWith("/undo")) {
        return respond(409, { type: "urn:lom:problem:version-conflict", title: "Version conflict", status: 409, current: theirs }, "application/problem+json");
      }
      return respond(200, []);
    });
    const { queryClient } = board();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    await user.click(await screen.findByRole("button", { name: /^Undo \(/ }));
    await screen.findByText("Not undone: someone changed ORD-7 since. It now shows their version.");
    expect(queryClient.getQueryData<OrderDetail>(orderKeys.detail("o1"))).toMatchObject({ status: "PROCESSING", version: 6 });
  });

  it("an assignment names the new assignee; the offer is gone once the window has passed", async () => {
    renderWithProviders(<UndoToast nameOf={nameOf} />);
    act(() => offerUndo({ ...confirmed, assignee_id: "g1" }, "assign"));
    expect(await screen.findByRole("status", { name: "Undo" })).toHaveTextContent("ORD-7 is now assigned to Anan Agent.");
    act(() => offerUndo(confirmed, "status", Date.now() - 55_500));
    await waitFor(() => expect(screen.queryByRole("status", { name: "Undo" })).toBeNull());
    expect(undoOffer.get()).toBeNull();
  });
});
