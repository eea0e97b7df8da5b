"use client";

import { useState } from "react";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { updatePreferences, type Preferences } from "@/lib/preferences";
import { usePreferences } from "@/lib/theme";
import { askNotificationPermission } from "./browser-outlets";

type Choice = "alertUnassigned" | "alertHighPriority" | "alertAssigned";

const CHOICES: Array<[Choice, MessageKey]> = [
  ["alertUnassigned", "alerts.on.unassigned"],
  ["alertHighPriority", "alerts.on.highPriority"],
  ["alertAssigned", "alerts.on.assigned"],
];

/**
 * "Alerts": which live changes alert the user (new unassigned orders, new high-priority orders,
 * orders assigned to them) and how (a tone; desktop notifications, opt-in, asked of the browser
 * when switched on). Remembered in this browser with the other preferences.
 */
export function AlertsMenu() {
  const { t } = useI18n();
  const prefs = usePreferences();
  const [blocked, setBlocked] = useState(false);

  const setDesktop = async (on: boolean) => {
    setBlocked(false);
    if (on && !(await askNotificationPermission())) {
      setBlocked(true);
      return;
    }
    updatePreferences({ desktopNotifications: on });
  };

  const checkbox = (flag: keyof Preferences, label: MessageKey, onChange: (on: boolean) => void) => (
    <label key={flag} className="flex items-center gap-2 py-0.5">
      <input type="checkbox" checked={prefs[flag] === true} onChange={(e) => onChange(e.target.checked)} />
      {t(label)}
    </label>
  );

  return (
    <details className="relative text-xs">
      <summary className="cursor-pointer select-none rounded-md border border-slate-300 px-1.5 py-1 dark:border-slate-600">{t("alerts.menu")}</summary>
      <div className="absolute right-0 z-30 mt-1 w-64 space-y-1 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <p className="font-semibold">{t("alerts.about")}</p>
        {CHOICES.map(([flag, label]) => checkbox(flag, label, (on) => updatePreferences({ [flag]: on })))}
        <p className="pt-2 font-semibold">{t("alerts.how")}</p>
        {checkbox("sound", "alerts.sound", (on) => updatePreferences({ sound: on }))}
        {checkbox("desktopNotifications", "alerts.desktop", (on) => void setDesktop(on))}
        <p className="text-slate-500 dark:text-slate-400">{t("alerts.desktopHint")}</p>
        {blocked ? <p role="alert" className="text-red-700 dark:text-red-300">{t("alerts.blocked")}</p> : null}
      </div>
    </details>
  );
}
