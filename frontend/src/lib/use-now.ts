"use client";

import { useEffect, useState } from "react";

/**
 * The current time, refreshed every `intervalMs` (one timer per caller), and at once when the
 * tab becomes visible again: browsers slow timers down in hidden tabs, and ages shown on return
 * must be true, not those of the last tick.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const timer = window.setInterval(tick, intervalMs);
    const onVisible = () => document.visibilityState === "visible" && tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [intervalMs]);
  return now;
}
