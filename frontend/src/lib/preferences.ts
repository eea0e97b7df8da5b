/**
 * User preferences remembered in localStorage (language, theme, and which live changes alert
 * them and how: sound, desktop notifications), readable without React.
 */
import { createStore } from "./create-store";
import { LOCALES, type Locale } from "./i18n/messages";

export type ThemePreference = "system" | "light" | "dark";

export interface Preferences {
  locale: Locale;
  theme: ThemePreference;
  /** Alert with a tone. */
  sound: boolean;
  /** Alert with a desktop notification (only while the tab is not focused). */
  desktopNotifications: boolean;
  /** Alert about new unassigned orders. */
  alertUnassigned: boolean;
  /** Alert about new high-priority orders. */
  alertHighPriority: boolean;
  /** Alert about orders assigned to me (by someone, or by a rule). */
  alertAssigned: boolean;
}

/** Silent by default; once sound is on, new unassigned orders ring as they always did. */
export const DEFAULT_PREFERENCES: Preferences = {
  locale: "en",
  theme: "system",
  sound: false,
  desktopNotifications: false,
  alertUnassigned: true,
  alertHighPriority: false,
  alertAssigned: false,
};

const flag = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);
export const PREFERENCES_STORAGE_KEY = "lom.preferences";

export function parsePreferences(raw: string | null): Preferences {
  if (!raw) return DEFAULT_PREFERENCES;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof Preferences, unknown>>;
    return {
      locale: LOCALES.includes(value.locale as Locale) ? (value.locale as Locale) : DEFAULT_PREFERENCES.locale,
      theme: value.theme === "light" || value.theme === "dark" || value.theme === "system" ? value.theme : "system",
      sound: value.sound === true,
      desktopNotifications: value.desktopNotifications === true,
      alertUnassigned: flag(value.alertUnassigned, DEFAULT_PREFERENCES.alertUnassigned),
      alertHighPriority: flag(value.alertHighPriority, DEFAULT_PREFERENCES.alertHighPriority),
      alertAssigned: flag(value.alertAssigned, DEFAULT_PREFERENCES.alertAssigned),
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
