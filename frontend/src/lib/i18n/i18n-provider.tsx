"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { formatDateTime, formatMoney } from "../format";
import { DEFAULT_PREFERENCES, loadPreferences, preferencesStore, updatePreferences } from "../preferences";
import { INTL_LOCALE, translate, type Locale, type MessageKey } from "./messages";

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  money(minor: number, currency: string): string;
  dateTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initialLocale }: { children: ReactNode; initialLocale?: Locale }) {
  const prefs = useSyncExternalStore(preferencesStore.subscribe, preferencesStore.get, () => DEFAULT_PREFERENCES);
  const locale = initialLocale ?? prefs.locale;

  useEffect(() => {
    loadPreferences();
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => updatePreferences({ locale: next }), []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      money: (minor, currency) => formatMoney(minor, currency, INTL_LOCALE[locale]),
      dateTime: (iso) => formatDateTime(iso, INTL_LOCALE[locale]),
    }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}
