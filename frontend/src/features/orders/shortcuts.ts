/**
 * The board's keyboard shortcuts and who may use which: the hint line, the `?` help and the
 * assignee filter show only what the signed-in user can actually do.
 */
import type { MessageKey } from "@/lib/i18n/messages";
import type { Actor } from "@/lib/permissions";
import { canActInBulk, canTakeOrders, canWorkOrders, orderViewerOf } from "./permissions";

export type ShortcutId = "move" | "open" | "select" | "assignToMe" | "search" | "close" | "help";

export interface Shortcut {
  id: ShortcutId;
  /** The keys as shown (`j`, `k`: either one). */
  keys: readonly string[];
  label: MessageKey;
}

const SHORTCUTS: readonly Shortcut[] = [
  { id: "move", keys: ["j", "k"], label: "shortcuts.move" },
  { id: "open", keys: ["Enter"], label: "shortcuts.open" },
  { id: "select", keys: ["x"], label: "shortcuts.select" },
  { id: "assignToMe", keys: ["a"], label: "shortcuts.assignToMe" },
  { id: "search", keys: ["/"], label: "shortcuts.search" },
  { id: "close", keys: ["Esc"], label: "shortcuts.close" },
  { id: "help", keys: ["?"], label: "shortcuts.help" },
];

/** The shortcuts this user can use: "assign to me" only for those who may take orders, "select" for those who can act in bulk. */
export function shortcutsFor(actor: Actor | null): Shortcut[] {
  return SHORTCUTS.filter(
    (shortcut) =>
      (shortcut.id !== "assignToMe" || canTakeOrders(actor)) && (shortcut.id !== "select" || canActInBulk(actor)),
  );
}

/** Which assignee choices make sense: none for an agent (only their own orders), "Mine" only for someone who can hold orders. */
export interface AssigneeFilterChoices {
  show: boolean;
  mine: boolean;
}

export function assigneeFilterChoices(actor: Actor | null): AssigneeFilterChoices {
  if (orderViewerOf(actor).assignedOnly) return { show: false, mine: false };
  return { show: true, mine: canWorkOrders(actor) };
}
