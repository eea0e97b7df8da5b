"use client";

import { useEffect, useSyncExternalStore } from "react";
import { DEFAULT_PREFERENCES, loadPreferences, preferencesStore, type ThemePreference } from "./preferences";

function prefersDark(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(prefers-color-scheme: dark)").matches === true;
}

/** Applies the theme preference to <html class="dark"> and follows the system when asked to. */
export function ThemeSync() {
  const { theme } = useSyncExternalStore(preferencesStore.subscribe, preferencesStore.get, () => DEFAULT_PREFERENCES);
  useEffect(() => {
    const apply = (pref: ThemePreference) =>
      document.documentElement.classList.toggle("dark", pref === "dark" || (pref === "system" && prefersDark()));
    // Stored preferences load after hydration; read them here so a stored theme never flickers.
    loadPreferences();
    const current = preferencesStore.get().theme;
    apply(current);
    if (current !== "system" || !window.matchMedia) return;
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [theme]);
  return null;
}

export function usePreferences() {
  return useSyncExternalStore(preferencesStore.subscribe, preferencesStore.get, () => DEFAULT_PREFERENCES);
}
