"use client";

import { useEffect, useRef } from "react";

export interface BoardShortcuts {
  next(): void;
  previous(): void;
  open(): void;
  /** Toggles the focused row's selection for a bulk action. */
  toggleSelect(): void;
  assignToMe(): void;
  focusSearch(): void;
  close(): void;
  help(): void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** j/k move, Enter opens, x selects, a assigns to me, / searches, ? shows them all, Esc closes (not while typing). */
export function useBoardShortcuts(handlers: BoardShortcuts): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const h = ref.current;
      if (event.key === "Escape") {
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        else h.close();
        return;
      }
      if (isTyping(event.target)) return;
      const actions: Record<string, () => void> = {
        j: h.next,
        ArrowDown: h.next,
        k: h.previous,
        ArrowUp: h.previous,
        Enter: h.open,
        x: h.toggleSelect,
        a: h.assignToMe,
        "/": h.focusSearch,
        "?": h.help,
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
