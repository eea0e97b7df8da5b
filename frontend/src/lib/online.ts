/**
 * Whether the browser is online (`navigator.onLine` and its events), and a short notice for an
 * action refused because it is not: the dashboard never navigates or sends while offline.
 */
import { useSyncExternalStore } from "react";
import type { MessageKey } from "./i18n/messages";
import { createStore } from "./create-store";

function subscribe(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

export function isOffline(): boolean {
  return typeof navigator !== "undefined" && navigator.onLine === false;
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => !isOffline(), () => true);
}

/** The notice to show (what was refused), with a stamp so the same notice twice shows again. */
export interface OfflineNotice {
  key: MessageKey;
  at: number;
}

export const offlineNotice = createStore<OfflineNotice | null>(null);

/** Says "you are offline" for `key`'s action when offline; returns whether it did (then do nothing). */
export function refuseWhenOffline(key: MessageKey): boolean {
  if (!isOffline()) return false;
  offlineNotice.set({ key, at: Date.now() });
  return true;
}
