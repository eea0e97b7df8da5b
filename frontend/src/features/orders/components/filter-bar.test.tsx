import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { DEFAULT_FILTERS, type OrderFilters } from "../filters";
import { makeStaff } from "../test/fixtures";
import { FilterBar } from "./filter-bar";

const viewer = { id: "v1", permissions: ["orders:read"] };
const dispatcher = { id: "d1", permissions: ["orders:read", "orders:update", "orders:assign"] };
const agent = { id: "g1", permissions: ["orders:read:assigned", "orders:update:assigned"] };

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    // `GET /users/assignable`: a plain array of accounts.
    vi.fn(async () => new Response(JSON.stringify([makeStaff("2b7e1516-28ae-4d2a-8f15-1a2b3c4d5e6f", "Anan Agent")]), { status: 200 })),
  );
});
afterEach(() => vi.unstubAllGlobals());

function setup(filters: OrderFilters, actor = viewer) {
  const onChange = vi.fn();
  const view = renderWithProviders(<FilterBar filters={filters} actor={actor} onChange={onChange} searchRef={createRef()} />);
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
    rerender(<FilterBar filters={{ ...DEFAULT_FILTERS, q: "second" }} actor={viewer} onChange={onChange} searchRef={createRef()} />);
    expect(screen.getByRole("searchbox")).toHaveValue("second");
  });

  it("changes the assignee filter, and lists people only for users who may assign", async () => {
    const { onChange, unmount } = setup(DEFAULT_FILTERS);
    const select = screen.getByRole("combobox", { name: "Assignee" });
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["Everyone", "Mine", "Unassigned"]);
    await userEvent.setup().selectOptions(select, "unassigned");
    expect(onChange).toHaveBeenCalledWith({ assignee: "unassigned" });
    unmount();
    setup(DEFAULT_FILTERS, dispatcher);
    await waitFor(() => expect(screen.getByRole("option", { name: "Anan Agent" })).toBeInTheDocument());
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

  it("names an assignee from the URL who is no longer assignable, and shows a short id only when unknown", async () => {
    const gone = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
    const nameOf = (id: string) => (id === gone ? "Former Colleague" : null);
    const onChange = vi.fn();
    const { unmount } = renderWithProviders(
      <FilterBar filters={{ ...DEFAULT_FILTERS, assignee: gone }} actor={dispatcher} onChange={onChange} searchRef={createRef()} nameOf={nameOf} />,
    );
    await waitFor(() => expect(screen.getByRole("option", { name: "Anan Agent" })).toBeInTheDocument());
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("Former Colleague");
    unmount();
    renderWithProviders(<FilterBar filters={{ ...DEFAULT_FILTERS, assignee: gone }} actor={dispatcher} onChange={onChange} searchRef={createRef()} />);
    expect(screen.getByRole("combobox", { name: "Assignee" })).toHaveDisplayValue("User …4f5a6b");
  });
});
