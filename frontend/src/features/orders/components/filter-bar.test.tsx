import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { DEFAULT_FILTERS, type OrderFilters } from "../filters";
import { peopleFrom, type People } from "../people";
import { makeName } from "../test/fixtures";
import { FilterBar } from "./filter-bar";

const viewer = { id: "v1", permissions: ["orders:read"] };
const dispatcher = { id: "d1", permissions: ["orders:read", "orders:update", "orders:assign"] };
const agent = { id: "g1", permissions: ["orders:read:assigned", "orders:update:assigned"] };
const gone = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
// `GET /users/names`, by name: the signed-in users themselves are in it too.
const everyone = peopleFrom([
  makeName("2b7e1516-28ae-4d2a-8f15-1a2b3c4d5e6f", "Anan Agent"),
  makeName("d1", "Dao Dispatcher"),
  makeName(gone, "Former Colleague", false),
  makeName("v1", "Wan Viewer"),
]);

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

  it("changes the assignee filter, and lists everyone else by name, the deactivated last and marked", async () => {
    const { onChange, unmount } = setup(DEFAULT_FILTERS);
    const select = screen.getByRole("combobox", { name: "Assignee" });
    // A viewer can hold no order: no "Mine".
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Everyone",
      "Unassigned",
      "Anan Agent",
      "Dao Dispatcher",
      "Former Colleague (inactive)",
    ]);
    await userEvent.setup().selectOptions(select, "unassigned");
    expect(onChange).toHaveBeenCalledWith({ assignee: "unassigned" });
    await userEvent.setup().selectOptions(select, "Former Colleague (inactive)");
    expect(onChange).toHaveBeenLastCalledWith({ assignee: gone });
    unmount();
    // The same list for a dispatcher: names do not depend on orders:assign.
    setup(DEFAULT_FILTERS, dispatcher);
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toContain("Wan Viewer");
    expect(screen.getAllByRole("option").map((o) => o.textContent).slice(0, 3)).toEqual(["Everyone", "Mine", "Unassigned"]);
    expect(screen.queryByRole("option", { name: "Dao Dispatcher" })).toBeNull();
  });

  it("has no assignee filter for an agent (they only ever see their own orders)", () => {
    setup(DEFAULT_FILTERS, agent);
    expect(screen.queryByRole("combobox", { name: "Assignee" })).toBeNull();
    expect(screen.getByRole("searchbox")).toBeInTheDocument();
  });

  it("offers to clear filters only when some are set", async () => {
    setup(DEFAULT_FILTERS);
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();
    const { onChange } = setup({ statuses: ["PENDING"], assignee: "me", q: "" });
    await userEvent.setup().click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onChange).toHaveBeenCalledWith({ statuses: [], assignee: "all", q: "" });
  });

  it("names the assignee a link selects, and shows a short id only while the name is unknown", () => {
    const { unmount } = setup({ ...DEFAULT_FILTERS, assignee: gone }, dispatcher);
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("Former Colleague (inactive)");
    unmount();
    // Names not loaded (or failed): the id's tail, still selected.
    setup({ ...DEFAULT_FILTERS, assignee: gone }, dispatcher, peopleFrom([]));
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("User …4f5a6b");
    expect(screen.getAllByRole("option")).toHaveLength(4); // Everyone, Mine, Unassigned, the id
  });
});
