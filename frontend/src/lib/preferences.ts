/** User preferences remembered in localStorage (language, theme, sound), readable without React. */
import { createStore } from "./create-store";
import { LOCALES, type Locale } from "./i18n/messages";

export type ThemePreference = "system" | "light" | "dark";

export interface Preferences {
  locale: Locale;
  theme: ThemePreference;
  sound: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { locale: "en", theme: "system", sound: false };
export const PREFERENCES_STORAGE_KEY = "lom.preferences";

export function parsePreferences(raw: string | null): Preferences {
  if (!raw) return DEFAULT_PREFERENCES;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof Preferences, unknown>>;
    return {
      locale: LOCALES.includes(value.locale as Locale) ? (value.locale as Locale) : DEFAULT_PREFERENCES.locale,
      theme: value.theme === "light" || value.theme === "dark" || value.theme === "system" ? value.theme : "system",
      sound: value.sound === true,
    };
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export const preferencesStore = createStore<Preferences>(DEFAULT_PREFERENCES);

let loaded = false;

/** Loads stored preferences once, on the client, after hydration. */
export function loadPreferences(): void {
  if (loaded || typeof window === "undefined") return;
  loaded = true;
  try {
    preferencesStore.set(parsePreferences(window.localStorage.getItem(PREFERENCES_STORAGE_KEY)));
  } catch {
    // storage unavailable (privacy mode): keep defaults
  }
}

export function updatePreferences(patch: Partial<Preferences>): void {
  const next = { ...preferencesStore.get(), ...patch };
  preferencesStore.set(next);
  try {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify(next));
  } catch {
    // not remembered, still applied
  }
}

/**
 * Inline script run before first paint so the stored theme applies without a flash.
 * Kept tiny and free of imports; it mirrors parsePreferences for the theme only.
 */
export const THEME_BOOT_SCRIPT = `(function(){try{var p=JSON.parse(localStorage.getItem(${JSON.stringify(
  PREFERENCES_STORAGE_KEY,
)})||"{}");var t=p.theme;var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);if(p.locale==="th")document.documentElement.lang="th";}catch(e){}})();`;
