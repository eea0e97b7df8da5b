/** The board drawing attention: orders that came while the tab was hidden, and the shortcut help. */
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { clearUnseen, noteArrival } from "../realtime/unseen-orders";
import { makeName, makeOrder } from "../test/fixtures";
import type { OrderListItem } from "../types";
import { OrdersBoard } from "./orders-board";

vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(""),
  useRouter: () => ({ replace: vi.fn() }),
  usePathname: () => "/orders",
}));

const dispatcher = { id: "d1", display_name: "Dao Dispatcher", permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"] };
let rows: OrderListItem[] = [];

function json(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

beforeAll(() => {
  // jsdom lays nothing out: give the virtualised list a viewport so it renders its rows.
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1200 });
});

afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

beforeEach(() => {
  rows = [];
  document.title = "Live Order Monitor";
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      const path = new URL(String(input)).pathname.replace(/^\/api\/v1/, "");
      if (path === "/orders") return json({ items: rows, next_cursor: null });
      if (path === "/orders/stats") return json({ counts: {}, total: rows.length, created_last_hour: 0 });
      if (path === "/users/names") return json([makeName("d1", "Dao Dispatcher")]);
      return json([]);
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  act(() => clearUnseen());
});

const rowOf = (order: OrderListItem) => screen.getByText(order.number).closest('[role="row"]') as HTMLElement;

describe("orders that arrived while the tab was hidden", () => {
  it("are marked 'New' and counted in the title until their row has been on screen in a visible tab", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const arrived = makeOrder();
    const older = makeOrder({ created_at: "2026-11-26T09:00:00.000Z" });
    rows = [arrived, older];
    noteArrival(arrived.id);
    renderWithProviders(<OrdersBoard actor={dispatcher} />);
    await screen.findByText(arrived.number);
    expect(within(rowOf(arrived)).getByText("New")).toBeInTheDocument();
    expect(within(rowOf(older)).queryByText("New")).toBeNull();
    expect(document.title).toBe("(1) Live Order Monitor");
    // Hidden, nobody sees it: still new after a while.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(within(rowOf(arrived)).getByText("New")).toBeInTheDocument();

    visibility.mockReturnValue("visible");
    act(() => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(within(rowOf(arrived)).queryByText("New")).toBeNull(), { timeout: 4_000 });
    expect(document.title).toBe("Live Order Monitor");
  }, 15_000);

  it("count in the title only when the user is alerted about them (the Alerts menu's choice)", async () => {
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const urgent = makeOrder({ priority: "high" });
    const plain = makeOrder();
    rows = [urgent, plain];
    noteArrival(urgent.id);
    noteArrival(plain.id);
    const onlyHigh = (order: OrderListItem) => order.priority === "high";
    const { rerender } = renderWithProviders(<OrdersBoard actor={dispatcher} alertsAbout={onlyHigh} />);
    await screen.findByText(plain.number);
    // Both are new on the board; only the high one is counted.
    expect(within(rowOf(plain)).getByText("New")).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe("(1) Live Order Monitor"));
    rerender(<OrdersBoard actor={dispatcher} alertsAbout={() => false} />);
    await waitFor(() => expect(document.title).toBe("Live Order Monitor"));
  });
});

describe("the shortcut help", () => {
  it("is a click away from the hint line too", async () => {
    rows = [makeOrder()];
    renderWithProviders(<OrdersBoard actor={dispatcher} />);
    await userEvent.setup().click(within(screen.getByTestId("shortcut-hints")).getByRole("button", { name: /all shortcuts/ }));
    expect(within(screen.getByRole("dialog", { name: "Keyboard shortcuts" })).getByText("assign to me")).toBeInTheDocument();
  });
});
