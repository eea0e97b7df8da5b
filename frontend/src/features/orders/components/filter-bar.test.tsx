import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { DEFAULT_FILTERS, type OrderFilters } from "../filters";
import { peopleFrom, type People } from "../people";
import { makeName, makeStaff } from "../test/fixtures";
import { FilterBar } from "./filter-bar";

const viewer = { id: "v1", permissions: ["orders:read"] };
const dispatcher = { id: "d1", permissions: ["orders:read", "orders:update", "orders:assign"] };
const agent = { id: "g1", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const gone = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
// `GET /users/names`, by name: the signed-in users themselves are in it too, and those who
// cannot hold orders (a viewer, the storefront account).
const everyone = peopleFrom([
  makeName("2b7e1516-28ae-4d2a-8f15-1a2b3c4d5e6f", "Anan Agent"),
  makeName("d1", "Dao Dispatcher"),
  makeName(gone, "Former Colleague", false),
  makeName("s1", "Shop Front", true, false),
  makeName("m1", "Somchai Jaidee"),
  makeName("m2", "Somchai Jaidee"),
  makeName("v1", "Wan Viewer", true, false),
]);

function respond(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

/** `GET /orders/workload` and, for those who may assign, `GET /users/assignable` (emails). */
function serveCountsAndEmails() {
  const accounts = [
    { ...makeStaff("m2", "Somchai Jaidee"), email: "a.somchai@example.com" },
    { ...makeStaff("m1", "Somchai Jaidee"), email: "b.somchai@example.com" },
    makeStaff("d1", "Dao Dispatcher", ["dispatcher"]),
  ];
  const fetchMock = vi.fn(async (url: string) => {
    if (String(url).endsWith("/orders/workload")) return respond([{ assignee_id: "m1", open_orders: 3 }, { assignee_id: gone, open_orders: 1 }]);
    if (String(url).endsWith("/users/assignable")) return respond(accounts);
    return respond([]);
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

function setup(filters: OrderFilters, actor = viewer, people: People = everyone) {
  const onChange = vi.fn();
  const view = renderWithProviders(<FilterBar filters={filters} actor={actor} onChange={onChange} searchRef={createRef()} people={people} />);
  return { onChange, ...view };
}

describe("FilterBar", () => {
  it("writes the search to the filters after a pause, once", async () => {
    const { onChange } = setup(DEFAULT_FILTERS);
    await userEvent.setup().type(screen.getByRole("searchbox"), "somchai");
    expect(onChange).not.toHaveBeenCalled();
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ q: "somchai" }));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("copies a search changed from outside (back button, link) into the box", () => {
    const { onChange, rerender } = setup({ ...DEFAULT_FILTERS, q: "first" });
    expect(screen.getByRole("searchbox")).toHaveValue("first");
    rerender(<FilterBar filters={{ ...DEFAULT_FILTERS, q: "second" }} actor={viewer} onChange={onChange} searchRef={createRef()} people={everyone} />);
    expect(screen.getByRole("searchbox")).toHaveValue("second");
  });

  it("changes the assignee filter: only people who work orders, with their open orders, the deactivated last and marked", async () => {
    const fetchMock = serveCountsAndEmails();
    const { onChange, unmount } = setup(DEFAULT_FILTERS);
    const select = screen.getByRole("combobox", { name: "Assignee" });
    // A viewer can hold no order: no "Mine"; no viewer or storefront account to filter by.
    await waitFor(() => expect(within(screen.getByLabelText("Assignee")).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Everyone",
      "Unassigned",
      "Anan Agent · 0 open",
      "Dao Dispatcher · 0 open",
      "Somchai Jaidee <m1> · 3 open",
      "Somchai Jaidee <m2> · 0 open",
      "Former Colleague (inactive)",
    ]));
    // A viewer may not read emails: the assignable list is not asked for.
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith("/users/assignable"))).toBe(false);
    await userEvent.setup().selectOptions(select, "unassigned");
    expect(onChange).toHaveBeenCalledWith({ assignee: "unassigned" });
    await userEvent.setup().selectOptions(select, "Former Colleague (inactive)");
    expect(onChange).toHaveBeenLastCalledWith({ assignee: gone });
    unmount();
    // A dispatcher: "Mine" instead of themselves; identical names by email, shown beside, and on hover.
    setup(DEFAULT_FILTERS, dispatcher);
    await waitFor(() => expect(within(screen.getByLabelText("Assignee")).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Everyone",
      "Mine",
      "Unassigned",
      "Anan Agent · 0 open",
      "Somchai Jaidee <a.somchai@example.com> · 0 open",
      "Somchai Jaidee <b.somchai@example.com> · 3 open",
      "Former Colleague (inactive)",
    ]));
    expect(screen.getByRole("option", { name: "Somchai Jaidee <b.somchai@example.com> · 3 open" })).toHaveAttribute("title", "b.somchai@example.com");
  });

  it("filters by priority and by when orders were created: today, the last 24 hours or a range of days", async () => {
    const user = userEvent.setup();
    const { onChange, rerender } = setup(DEFAULT_FILTERS, agent);
    const priority = screen.getByRole("combobox", { name: "Priority" });
    expect(within(priority).getAllByRole("option").map((o) => o.textContent)).toEqual(["All priorities", "High", "Normal"]);
    await user.selectOptions(priority, "High");
    expect(onChange).toHaveBeenLastCalledWith({ priority: "high" });
    const created = screen.getByRole("combobox", { name: "Created" });
    expect(within(created).getAllByRole("option").map((o) => o.textContent)).toEqual(["Any time", "Today", "Last 24 hours", "Custom range"]);
    await user.selectOptions(created, "Today");
    expect(onChange).toHaveBeenLastCalledWith({ created: "today", createdFrom: "", createdTo: "" });
    await user.selectOptions(created, "Last 24 hours");
    expect(onChange).toHaveBeenLastCalledWith({ created: "24h", createdFrom: "", createdTo: "" });
    // No day fields until a custom range is chosen; choosing it changes nothing until a day is typed.
    expect(screen.queryByLabelText("From day")).toBeNull();
    onChange.mockClear();
    await user.selectOptions(created, "Custom range");
    expect(onChange).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText("From day"), "2026-12-01");
    expect(onChange).toHaveBeenLastCalledWith({ created: "custom", createdFrom: "2026-12-01", createdTo: "" });
    // The URL's range is the one shown, each end bounding the other.
    rerender(
      <FilterBar
        filters={{ ...DEFAULT_FILTERS, created: "custom", createdFrom: "2026-12-01", createdTo: "2026-12-03" }}
        actor={agent}
        onChange={onChange}
        searchRef={createRef()}
        people={everyone}
      />,
    );
    expect(screen.getByRole("combobox", { name: "Created" })).toHaveDisplayValue("Custom range");
    expect(screen.getByLabelText("From day")).toHaveValue("2026-12-01");
    expect(screen.getByLabelText("From day")).toHaveAttribute("max", "2026-12-03");
    expect(screen.getByLabelText("To day")).toHaveAttribute("min", "2026-12-01");
    // Cleared from outside: the day fields go.
    rerender(<FilterBar filters={DEFAULT_FILTERS} actor={agent} onChange={onChange} searchRef={createRef()} people={everyone} />);
    expect(screen.getByRole("combobox", { name: "Created" })).toHaveDisplayValue("Any time");
    expect(screen.queryByLabelText("From day")).toBeNull();
  });

  it("has no assignee filter for an agent (they only ever see their own orders)", () => {
    setup(DEFAULT_FILTERS, agent);
    expect(screen.queryByRole("combobox", { name: "Assignee" })).toBeNull();
    expect(screen.getByRole("searchbox")).toBeInTheDocument();
  });

  it("offers to clear filters only when some are set", async () => {
    setup(DEFAULT_FILTERS);
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();
    const { onChange, unmount: unmountSet } = setup({ ...DEFAULT_FILTERS, statuses: ["PENDING"], assignee: "me" });
    await userEvent.setup().click(screen.getByRole("button", { name: "Clear filters" }));
    const cleared = { statuses: [], assignee: "all", q: "", priority: "all", created: "any", createdFrom: "", createdTo: "" };
    expect(onChange).toHaveBeenCalledWith(cleared);
    unmountSet();
    // A priority or created-at filter alone is one to clear too.
    for (const set of [{ priority: "high" as const }, { created: "today" as const }]) {
      const { onChange: change, unmount } = setup({ ...DEFAULT_FILTERS, ...set });
      await userEvent.setup().click(screen.getByRole("button", { name: "Clear filters" }));
      expect(change).toHaveBeenCalledWith(cleared);
      unmount();
    }
  });

  it("names the assignee a link selects, and shows a short id only while the name is unknown", () => {
    const { unmount } = setup({ ...DEFAULT_FILTERS, assignee: gone }, dispatcher);
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("Former Colleague (inactive)");
    unmount();
    // Names not loaded (or failed): the id's tail, still selected.
    setup({ ...DEFAULT_FILTERS, assignee: gone }, dispatcher, peopleFrom([]));
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("User …4f5a6b");
    expect(within(screen.getByLabelText("Assignee")).getAllByRole("option")).toHaveLength(4); // Everyone, Mine, Unassigned, the id
  });
});
