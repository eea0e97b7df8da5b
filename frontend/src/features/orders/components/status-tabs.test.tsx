import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { StatusTabs } from "./status-tabs";

describe("StatusTabs", () => {
  it("shows live counts per status and the total, and selects a tab", async () => {
    const onSelect = vi.fn();
    renderWithProviders(
      <StatusTabs selected="PENDING" overdue={false} onOverdue={() => undefined} stats={{ counts: { PENDING: 4, CONFIRMED: 0, PROCESSING: 0, SHIPPED: 2, DELIVERED: 0, CANCELLED: 0 }, total: 6, created_last_hour: 1, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } }} onSelect={onSelect} />,
    );
    expect(screen.getByRole("tab", { name: "All 6" })).toHaveAttribute("aria-selected", "false");
    expect(screen.getByRole("tab", { name: "Pending 4" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "Delivered 0" })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("tab", { name: "Shipped 2" }));
    expect(onSelect).toHaveBeenCalledWith("SHIPPED");
    await userEvent.setup().click(screen.getByRole("tab", { name: "All 6" }));
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });

  it("counts the overdue orders in their own tab, which selects the overdue list", async () => {
    const onOverdue = vi.fn();
    const stats = { counts: { PENDING: 4 }, total: 4, created_last_hour: 0, overdue: 3, overdue_after_minutes: { high: 15, normal: 60 } };
    const { rerender } = renderWithProviders(<StatusTabs selected={null} overdue={false} onOverdue={onOverdue} stats={stats} onSelect={vi.fn()} />);
    await userEvent.setup().click(screen.getByRole("tab", { name: "Overdue 3" }));
    expect(onOverdue).toHaveBeenCalled();
    rerender(<StatusTabs selected={null} overdue onOverdue={onOverdue} stats={stats} onSelect={vi.fn()} />);
    expect(screen.getByRole("tab", { name: "Overdue 3" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "All 4" })).toHaveAttribute("aria-selected", "false");
  });

  it("shows a dash while counts load", () => {
    renderWithProviders(<StatusTabs selected={null} overdue={false} onOverdue={vi.fn()} stats={undefined} onSelect={vi.fn()} />);
    expect(screen.getByRole("tab", { name: "All –" })).toHaveAttribute("aria-selected", "true");
  });
});
