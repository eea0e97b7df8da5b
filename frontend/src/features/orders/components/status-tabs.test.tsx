import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { StatusTabs } from "./status-tabs";

describe("StatusTabs", () => {
  it("shows live counts per status and the total, and selects a tab", async () => {
    const onSelect = vi.fn();
    renderWithProviders(
      <StatusTabs selected="PENDING" stats={{ counts: { PENDING: 4, CONFIRMED: 0, PROCESSING: 0, SHIPPED: 2, DELIVERED: 0, CANCELLED: 0 }, total: 6, created_last_hour: 1, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } }} onSelect={onSelect} />,
    );
    expect(screen.getByRole("tab", { name: "All 6" })).toHaveAttribute("aria-selected", "false");
    expect(screen.getByRole("tab", { name: "Pending 4" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "Delivered 0" })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("tab", { name: "Shipped 2" }));
    expect(onSelect).toHaveBeenCalledWith("SHIPPED");
    await userEvent.setup().click(screen.getByRole("tab", { name: "All 6" }));
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });

  it("shows a dash while counts load", () => {
    renderWithProviders(<StatusTabs selected={null} stats={undefined} onSelect={vi.fn()} />);
    expect(screen.getByRole("tab", { name: "All –" })).toHaveAttribute("aria-selected", "true");
  });
});
