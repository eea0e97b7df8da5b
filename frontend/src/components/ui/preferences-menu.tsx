"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import { LOCALES, type Locale } from "@/lib/i18n/messages";
import { updatePreferences, type ThemePreference } from "@/lib/preferences";
import { usePreferences } from "@/lib/theme";

const selectClass =
  "rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";
const LOCALE_NAMES: Record<Locale, string> = { en: "English", th: "ไทย" };

/** Language and theme, remembered in this browser (alerts have their own menu). */
export function PreferencesMenu() {
  const { t, locale, setLocale } = useI18n();
  const prefs = usePreferences();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <select aria-label={t("prefs.language")} className={selectClass} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
      <select
        aria-label={t("prefs.theme")}
        className={selectClass}
        value={prefs.theme}
        onChange={(e) => updatePreferences({ theme: e.target.value as ThemePreference })}
      >
        <option value="system">{t("prefs.theme.system")}</option>
        <option value="light">{t("prefs.theme.light")}</option>
        <option value="dark">{t("prefs.theme.dark")}</option>
      </select>
    </div>
  );
}
