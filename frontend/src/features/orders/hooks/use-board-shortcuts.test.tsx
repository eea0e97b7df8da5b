import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { useBoardShortcuts, type BoardShortcuts } from "./use-board-shortcuts";

function Harness({ handlers }: { handlers: BoardShortcuts }) {
  useBoardShortcuts(handlers);
  return <input aria-label="search" />;
}

const make = (): BoardShortcuts => ({
  next: vi.fn(),
  previous: vi.fn(),
  open: vi.fn(),
  toggleSelect: vi.fn(),
  assignToMe: vi.fn(),
  focusSearch: vi.fn(),
  close: vi.fn(),
  help: vi.fn(),
});

describe("board shortcuts", () => {
  it("maps j/k/Enter/x/a/'/'/?/Esc", async () => {
    const h = make();
    render(<Harness handlers={h} />);
    const user = userEvent.setup();
    await user.keyboard("jjk{Enter}xxa/?{Escape}");
    expect(h.next).toHaveBeenCalledTimes(2);
    expect(h.previous).toHaveBeenCalledTimes(1);
    expect(h.open).toHaveBeenCalledTimes(1);
    expect(h.toggleSelect).toHaveBeenCalledTimes(2);
    expect(h.assignToMe).toHaveBeenCalledTimes(1);
    expect(h.focusSearch).toHaveBeenCalledTimes(1);
    expect(h.close).toHaveBeenCalledTimes(1);
    expect(h.help).toHaveBeenCalledTimes(1);
  });

  it("does nothing while typing, and Escape leaves the field", async () => {
    const h = make();
    const { getByLabelText } = render(<Harness handlers={h} />);
    const user = userEvent.setup();
    await user.click(getByLabelText("search"));
    await user.keyboard("jkxa/");
    expect(h.next).not.toHaveBeenCalled();
    expect(h.toggleSelect).not.toHaveBeenCalled();
    expect(h.assignToMe).not.toHaveBeenCalled();
    expect(getByLabelText("search")).toHaveValue("jkxa/");
    await user.keyboard("{Escape}");
    expect(getByLabelText("search")).not.toHaveFocus();
    expect(h.close).not.toHaveBeenCalled();
  });

  it("ignores keys with modifiers", async () => {
    const h = make();
    render(<Harness handlers={h} />);
    await userEvent.setup().keyboard("{Control>}j{/Control}");
    expect(h.next).not.toHaveBeenCalled();
  });
});
