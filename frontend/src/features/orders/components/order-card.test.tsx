import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { peopleFrom } from "../people";
import { makeOrder } from "../test/fixtures";
import { CARD_HEIGHT, OrderCard } from "./order-card";

const order = makeOrder({ number: "ORD-4242" });

function card(props: { checked?: boolean; onCheck?: (id: string, range: boolean) => void }) {
  const onOpen = vi.fn();
  const { unmount } = renderWithProviders(
    <OrderCard
      order={order}
      index={0}
      selected={false}
      now={Date.parse(order.created_at)}
      top={0}
      height={CARD_HEIGHT}
      people={peopleFrom([])}
      onOpen={onOpen}
      checked={props.checked ?? false}
      overdueAfter={undefined}
      onCheck={props.onCheck}
    />,
  );
  return { onOpen, unmount };
}

describe("a phone card", () => {
  it("has a box that selects the order for a bulk action without opening it", async () => {
    const onCheck = vi.fn();
    const { onOpen } = card({ onCheck });
    const box = screen.getByRole("checkbox", { name: "Select ORD-4242" });
    await userEvent.setup().click(box);
    expect(onCheck).toHaveBeenCalledWith(order.id, false);
    expect(onOpen).not.toHaveBeenCalled();
    // The rest of the card still opens the order.
    await userEvent.setup().click(screen.getByText("ORD-4242"));
    expect(onOpen).toHaveBeenCalledWith(order.id, 0);
  });

  it("shows the box ticked when selected, and none to those who cannot act in bulk", () => {
    const { unmount } = card({ checked: true, onCheck: vi.fn() });
    expect(screen.getByRole("checkbox", { name: "Select ORD-4242" })).toBeChecked();
    unmount();
    card({});
    expect(screen.queryByRole("checkbox")).toBeNull();
  });
});
