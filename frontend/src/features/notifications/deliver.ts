/**
 * Where a grouped alert goes: a tone when the user wants sound, and a desktop notification when
 * they asked for those, the browser allows them, and the tab is not the one they are looking at
 * (a focused board already shows the change).
 */
import type { Preferences } from "@/lib/preferences";
import { translate } from "@/lib/i18n/messages";
import type { AlertGroup } from "./alerts";
import { describeGroup } from "./describe";

export interface AlertOutlets {
  focused(): boolean;
  /** The browser's answer so far: `granted`, `denied` or `default` (not asked yet). */
  permission(): NotificationPermission | "unsupported";
  show(title: string, body: string): void;
  beep(): void;
}

export function deliverAlert(group: AlertGroup, prefs: Preferences, outlets: AlertOutlets): void {
  if (prefs.sound) outlets.beep();
  if (!prefs.desktopNotifications || outlets.focused() || outlets.permission() !== "granted") return;
  const { title, body } = describeGroup(group, (key, vars) => translate(prefs.locale, key, vars));
  outlets.show(title, body);
}
