import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { userKeys } from "@/features/users/keys";
import type { UserName } from "@/features/users/types";
import { renderWithProviders } from "@/test/render";
import { clearDepartures } from "../realtime/departures";
import { makeDetail, makeName, makeOrder, makeStaff } from "../test/fixtures";
import type { OrderDetail, OrderListItem } from "../types";
import { OrdersBoard } from "./orders-board";

let currentSearch = "";
vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(currentSearch),
  useRouter: () => ({ replace: vi.fn() }),
  usePathname: () => "/orders",
}));

const AGENT = "0193a5b2-7c4d-7e8f-9a0b-00000000a901";
const BACKUP = "0193a5b2-7c4d-7e8f-9a0b-00000000a902";
const DISPATCHER = "0193a5b2-7c4d-7e8f-9a0b-00000000d001";
const SHOP = "0193a5b2-7c4d-7e8f-9a0b-00000000f001";
const FORMER = "0193a5b2-7c4d-7e8f-9a0b-00000000e001";
const VIEWER = "0193a5b2-7c4d-7e8f-9a0b-00000000b001";
const STRANGER = "0193a5b2-7c4d-7e8f-9a0b-0000001c2d3e";

const agent = { id: AGENT, display_name: "Anan Agent", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const viewer = { id: VIEWER, display_name: "Wan Viewer", permissions: ["orders:read"] };
const dispatcher = {
  id: DISPATCHER,
  display_name: "Dao Dispatcher",
  permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"],
};

/** `GET /users/names`: every account by name, the deactivated one included. */
const NAMES: UserName[] = [
  makeName(AGENT, "Anan Agent"),
  makeName(BACKUP, "Bea Backup"),
  makeName(DISPATCHER, "Dao Dispatcher"),
  makeName(FORMER, "Former Colleague", false),
  makeName(SHOP, "Shop Front", true, false),
  makeName(VIEWER, "Wan Viewer", true, false),
];

interface Backend {
  rows: OrderListItem[];
  details: Record<string, OrderDetail>;
  names: { status: number; body: unknown };
}

let backend: Backend;
let requests: string[];

function json(status: number, body: unknown) {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

const forbidden = () => json(403, { type: "urn:lom:problem:forbidden", title: "Forbidden", status: 403, detail: "No." });

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
  currentSearch = "";
  requests = [];
  backend = { rows: [], details: {}, names: { status: 200, body: NAMES } };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const path = url.pathname.replace(/^\/api\/v1/, "");
      if ((init.method ?? "GET") !== "GET") return forbidden();
      requests.push(path);
      if (path === "/orders") return json(200, { items: backend.rows, next_cursor: null });
      if (path === "/orders/workload") return json(200, [{ assignee_id: BACKUP, open_orders: 2 }]);
      if (path === "/orders/stats") return json(200, { counts: {}, total: backend.rows.length, created_last_hour: 0 });
      if (path.startsWith("/orders/")) {
        const detail = backend.details[path.slice("/orders/".length)];
        return detail ? json(200, detail) : json(404, { type: "urn:lom:problem:not-found", title: "Not found", status: 404 });
      }
      if (path === "/users/names") return json(backend.names.status, backend.names.body);
      // Who may work orders (the assign picker); every other users list is refused here.
      if (path === "/users/assignable") return json(200, [makeStaff(AGENT, "Anan Agent"), makeStaff(BACKUP, "Bea Backup")]);
      return forbidden();
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  act(() => clearDepartures());
});

const userRequests = () => requests.filter((path) => path.startsWith("/users"));
/** The grid cells of one row: number, customer, items, total, status, priority, assignee, age. */
const assigneeCell = (order: OrderListItem) => within(screen.getByText(order.number).closest('[role="row"]') as HTMLElement).getAllByRole("gridcell")[6];

describe("OrdersBoard names people from GET /users/names", () => {
  it("an agent's drawer timeline names the dispatcher who assigned the order, the assignee and a deactivated colleague", async () => {
    const order = makeOrder({ status: "CONFIRMED", assignee_id: AGENT, version: 4 });
    backend.rows = [order];
    backend.details[order.id] = makeDetail(order, {
      history: [
        { kind: "status", at: "2026-11-26T09:00:00.000Z", actor_id: SHOP, to_status: "PENDING" },
        { kind: "status", at: "2026-11-26T09:05:00.000Z", actor_id: FORMER, from_status: "PENDING", to_status: "CONFIRMED" },
        { kind: "assignment", at: "2026-11-26T09:10:00.000Z", actor_id: DISPATCHER, assignee_id: BACKUP },
        { kind: "assignment", at: "2026-11-26T09:20:00.000Z", actor_id: DISPATCHER, previous_assignee_id: BACKUP, assignee_id: AGENT },
      ],
    });
    currentSearch = `order=${order.id}`;
    renderWithProviders(<OrdersBoard actor={agent} />);

    const drawer = await screen.findByRole("dialog");
    const timeline = (await within(drawer).findByText("Timeline")).parentElement as HTMLElement;
    await waitFor(() =>
      expect(within(timeline).getAllByRole("listitem").map((item) => item.querySelector("p")?.textContent)).toEqual([
        "Dao Dispatcher assigned it to Anan Agent",
        "Dao Dispatcher assigned it to Bea Backup",
        "Former Colleague (inactive) changed status to Confirmed",
        "Shop Front created the order",
      ]),
    );
    expect(assigneeCell(order)).toHaveTextContent("Anan Agent");
    // Names come from the one endpoint an agent may call: nothing needing users:read or orders:assign.
    expect(userRequests()).toEqual(["/users/names"]);
  });

  it("the timeline shows priority and note changes and why an order was cancelled", async () => {
    const order = makeOrder({ status: "CANCELLED", assignee_id: AGENT, version: 5 });
    backend.rows = [order];
    backend.details[order.id] = makeDetail(order, {
      history: [
        { kind: "status", at: "2026-11-26T09:00:00.000Z", actor_id: SHOP, to_status: "PENDING" },
        { kind: "priority", at: "2026-11-26T09:01:00.000Z", actor_id: DISPATCHER, from_priority: "normal", to_priority: "high" },
        { kind: "note", at: "2026-11-26T09:02:00.000Z", actor_id: DISPATCHER, note: "Call first" },
        { kind: "note", at: "2026-11-26T09:03:00.000Z", actor_id: DISPATCHER, previous_note: "Call first" },
        {
          kind: "status",
          at: "2026-11-26T09:04:00.000Z",
          actor_id: DISPATCHER,
          from_status: "PENDING",
          to_status: "CANCELLED",
          reason: { code: "out_of_stock", text: "None until May" },
        },
      ],
    });
    currentSearch = `order=${order.id}`;
    renderWithProviders(<OrdersBoard actor={agent} />);

    const drawer = await screen.findByRole("dialog");
    const timeline = (await within(drawer).findByText("Timeline")).parentElement as HTMLElement;
    await waitFor(() =>
      expect(within(timeline).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
        expect.stringMatching(/^Dao Dispatcher changed status to CancelledReason: Out of stock — None until May/),
        expect.stringMatching(/^Dao Dispatcher cleared the note/),
        expect.stringMatching(/^Dao Dispatcher changed the noteCall first/),
        expect.stringMatching(/^Dao Dispatcher changed priority to High/),
        expect.stringMatching(/^Shop Front created the order/),
      ]),
    );
  });

  it("the items column counts units (the sum of quantities), its lines on hover", async () => {
    const order = makeOrder({ item_count: 2, unit_count: 5 });
    backend.rows = [order];
    renderWithProviders(<OrdersBoard actor={viewer} />);
    await screen.findByText(order.number);
    expect(screen.getByRole("columnheader", { name: "Units" })).toBeInTheDocument();
    const units = within(screen.getByText(order.number).closest('[role="row"]') as HTMLElement).getAllByRole("gridcell")[2];
    expect(units).toHaveTextContent(/^5$/);
    expect(units).toHaveAttribute("title", "2 lines");
  });

  it("a viewer sees assignees by name on the board (deactivated ones marked) and can filter by them", async () => {
    const toBackup = makeOrder({ assignee_id: BACKUP });
    const toFormer = makeOrder({ status: "PROCESSING", assignee_id: FORMER });
    const nobody = makeOrder();
    backend.rows = [toBackup, toFormer, nobody];
    renderWithProviders(<OrdersBoard actor={viewer} />);

    await waitFor(() => expect(assigneeCell(toBackup)).toHaveTextContent("Bea Backup"));
    expect(assigneeCell(toFormer)).toHaveTextContent("Former Colleague (inactive)");
    expect(assigneeCell(nobody)).toHaveTextContent("Unassigned");
    const filter = screen.getByRole("combobox", { name: "Assignee" });
    expect(await within(filter).findByRole("option", { name: "Bea Backup · 2 open" })).toHaveValue(BACKUP);
    expect(within(filter).getByRole("option", { name: "Former Colleague (inactive)" })).toHaveValue(FORMER);
    // Only people who can hold orders: not the viewer, not the storefront account.
    expect(within(filter).queryByRole("option", { name: /Wan Viewer|Shop Front/ })).toBeNull();
    // Board, rows and filter share one query.
    expect(userRequests()).toEqual(["/users/names"]);
  });

  it("a dispatcher's names come from /users/names too; only the assign picker asks /users/assignable", async () => {
    const order = makeOrder({ assignee_id: BACKUP });
    backend.rows = [order];
    backend.details[order.id] = makeDetail(order, {
      history: [{ kind: "assignment", at: "2026-11-26T09:10:00.000Z", actor_id: FORMER, assignee_id: BACKUP }],
    });
    currentSearch = `order=${order.id}`;
    renderWithProviders(<OrdersBoard actor={dispatcher} />);

    const drawer = await screen.findByRole("dialog");
    await within(drawer).findByText("Former Colleague (inactive) assigned it to Bea Backup");
    await waitFor(() => expect(within(within(drawer).getByRole("combobox", { name: "Assign to" })).getAllByRole("option")).toHaveLength(2));
    expect([...new Set(userRequests())].sort()).toEqual(["/users/assignable", "/users/names"]);
  });

  it("without names (the request failed) people show as a short id, and the board still works", async () => {
    backend.names = { status: 500, body: { type: "about:blank", title: "Internal error", status: 500 } };
    const theirs = makeOrder({ assignee_id: STRANGER });
    const mine = makeOrder({ assignee_id: VIEWER });
    backend.rows = [theirs, mine];
    const { queryClient } = renderWithProviders(<OrdersBoard actor={viewer} />);

    await waitFor(() => expect(queryClient.getQueryState(userKeys.names())?.status).toBe("error"));
    expect(assigneeCell(theirs)).toHaveTextContent("User …1c2d3e");
    // The signed-in user is always known.
    expect(assigneeCell(mine)).toHaveTextContent("Wan Viewer");
  });
});

describe("OrdersBoard words fit the person and the moment", () => {
  it("an order that is gone says so, in the title too, instead of Loading…", async () => {
    const gone = makeOrder();
    currentSearch = `order=${gone.id}`;
    renderWithProviders(<OrdersBoard actor={dispatcher} />);
    const drawer = await screen.findByRole("dialog");
    await within(drawer).findByText("This order was deleted, or is no longer visible to you.");
    expect(within(drawer).getByRole("heading", { level: 2 })).toHaveTextContent("Order not available");
    expect(within(drawer).queryByText("Loading…")).toBeNull();
  });

  it("an agent's order reassigned away (order.left) says it went to someone else", async () => {
    const { markDeparted } = await import("../realtime/departures");
    const left = makeOrder({ assignee_id: AGENT });
    markDeparted(left, "left");
    currentSearch = `order=${left.id}`;
    renderWithProviders(<OrdersBoard actor={agent} />);
    const drawer = await screen.findByRole("dialog");
    await within(drawer).findByText("This order was reassigned to someone else and is no longer visible to you.");
  });

  it("an agent is told to whom an open order of theirs was reassigned (someone else when the name is unknown), not when a finished one leaves", async () => {
    const { markDeparted } = await import("../realtime/departures");
    const open = makeOrder({ status: "PROCESSING", assignee_id: AGENT });
    const other = makeOrder({ status: "CONFIRMED", assignee_id: AGENT });
    const done = makeOrder({ status: "DELIVERED", assignee_id: AGENT });
    backend.rows = [open, other, done];
    renderWithProviders(<OrdersBoard actor={agent} />);
    await screen.findByText(open.number);
    await waitFor(() => expect(assigneeCell(open)).toHaveTextContent("Anan Agent"));
    // `order` as it left: with the new assignee from `order.left`.
    act(() => {
      markDeparted({ ...open, assignee_id: BACKUP }, "left");
      markDeparted({ ...other, assignee_id: STRANGER }, "left");
      markDeparted({ ...done, assignee_id: BACKUP }, "left");
    });
    const notice = await screen.findByText(`${open.number} is no longer yours: it was reassigned to Bea Backup.`);
    await screen.findByText(`${other.number} is no longer yours: it was reassigned to someone else.`);
    expect(screen.queryByText(new RegExp(`${done.number} is no longer yours`))).toBeNull();
    await userEvent.setup().click(within(notice).getByRole("button", { name: "Close" }));
    expect(screen.queryByText(new RegExp(`${open.number} is no longer yours`))).toBeNull();
  });

  it("the hint line and the ? help offer 'assign to me' to a dispatcher, not to a viewer", async () => {
    backend.rows = [makeOrder()];
    const { unmount } = renderWithProviders(<OrdersBoard actor={viewer} />);
    expect(screen.getByTestId("shortcut-hints")).not.toHaveTextContent("assign to me");
    await userEvent.setup().keyboard("?");
    const help = screen.getByRole("dialog", { name: "Keyboard shortcuts" });
    expect(within(help).queryByText("assign to me")).toBeNull();
    expect(within(help).getByText("search")).toBeInTheDocument();
    await userEvent.setup().keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull();
    unmount();
    renderWithProviders(<OrdersBoard actor={dispatcher} />);
    expect(screen.getByTestId("shortcut-hints")).toHaveTextContent("assign to me");
  });

  it("'a' on an order a colleague holds names them and asks; leaving it sends nothing", async () => {
    const held = makeOrder({ assignee_id: BACKUP });
    backend.rows = [held];
    renderWithProviders(<OrdersBoard actor={dispatcher} />);
    await screen.findByText(held.number);
    const user = userEvent.setup();
    await user.keyboard("ja");
    const ask = await screen.findByRole("alertdialog", { name: `Take over ${held.number}?` });
    await within(ask).findByText(`${held.number} is assigned to Bea Backup. Taking it moves it to you, and Bea Backup no longer has it.`);
    // j/k behind the dialog do nothing; Escape leaves the order with Bea.
    await user.keyboard("k{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    const sent = (fetch as ReturnType<typeof vi.fn>).mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === "POST");
    expect(sent).toHaveLength(0);
  });
});

describe("OrdersBoard holds the list still while a row is selected", () => {
  it("new orders wait behind the pill (and count in the title) until 'show'", async () => {
    const first = makeOrder({ created_at: "2026-11-26T10:00:00.000Z" });
    const second = makeOrder({ created_at: "2026-11-26T09:00:00.000Z" });
    backend.rows = [first, second];
    document.title = "Live Order Monitor";
    const { queryClient } = renderWithProviders(<OrdersBoard actor={dispatcher} />);
    await screen.findByText(first.number);
    const shownNumbers = () => screen.getAllByRole("row").flatMap((row) => (row.dataset.orderId ? [within(row).getAllByRole("gridcell")[0]!.textContent] : []));
    const user = userEvent.setup();
    await user.keyboard("j"); // a row selected: the user is working in the list

    const arrival = makeOrder({ created_at: "2026-11-26T11:00:00.000Z" });
    const { DEFAULT_FILTERS } = await import("../filters");
    const { orderKeys } = await import("../keys");
    const { listData } = await import("../test/fixtures");
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [arrival, first, second] }));

    const pill = await screen.findByRole("button", { name: "1 new order — show" });
    expect(shownNumbers()).toEqual([first.number, second.number]);
    expect(document.title).toBe("(1) Live Order Monitor");

    await user.click(pill);
    await waitFor(() => expect(shownNumbers()).toEqual([arrival.number, first.number, second.number]));
    expect(screen.queryByRole("button", { name: /new order/ })).toBeNull();
    expect(document.title).toBe("Live Order Monitor");
  });
});
