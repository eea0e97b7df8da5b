import { act, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { renderWithProviders } from "@/test/render";
import { peopleFrom } from "../people";
import { applyPresenceChange, clearPresence } from "../realtime/presence";
import { initials, PresenceBadges } from "./presence-badges";

afterEach(clearPresence);

describe("presence badges", () => {
  it("initials take the first letter of the first two words, whole characters", () => {
    expect(initials("Dana Dispatcher")).toBe("DD");
    expect(initials("  vic  ")).toBe("V");
    expect(initials("Anna Maria van Dyke")).toBe("AM");
    expect(initials("สมชาย ใจดี")).toBe("สใ");
    expect(initials("😀 Smile")).toBe("😀S");
  });

  it("shows everyone else who has the order open, named on hover, and never the signed-in user", () => {
    const people = peopleFrom(
      [
        { id: "u1", display_name: "Dana Dispatcher", active: true, works_orders: true },
        { id: "u2", display_name: "Vic Viewer", active: true, works_orders: true },
      ],
      { id: "u1", display_name: "Dana Dispatcher", active: true, works_orders: true },
    );
    const { container } = renderWithProviders(<PresenceBadges orderId="o1" people={people} />);
    expect(container.textContent).toBe("");
    act(() => applyPresenceChange({ order_id: "o1", viewers: ["u1"] }));
    expect(screen.queryByTestId("presence")).toBeNull();
    act(() => applyPresenceChange({ order_id: "o1", viewers: ["u1", "u2"] }));
    const badge = screen.getByTestId("presence");
    expect(badge.textContent).toBe("VV");
    expect(badge.querySelector('[title="Vic Viewer"]')).not.toBeNull();
    expect(badge.getAttribute("aria-label")).toBe("Also open by Vic Viewer");
  });
});
