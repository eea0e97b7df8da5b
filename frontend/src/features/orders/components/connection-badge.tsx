"use client";

import { useSyncExternalStore } from "react";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { connectionStore, type ConnectionState } from "../realtime/connection-store";

const LOOK: Record<ConnectionState, { label: MessageKey; dot: string }> = {
  live: { label: "connection.live", dot: "bg-emerald-500" },
  connecting: { label: "connection.connecting", dot: "bg-slate-400 animate-pulse" },
  reconnecting: { label: "connection.reconnecting", dot: "bg-amber-500 animate-pulse" },
  "catching-up": { label: "connection.catchingUp", dot: "bg-sky-500 animate-pulse" },
  offline: { label: "connection.offline", dot: "bg-red-500" },
};

export function ConnectionBadge() {
  const { t } = useI18n();
  const state = useSyncExternalStore(connectionStore.subscribe, connectionStore.get, () => "connecting" as const);
  const look = LOOK[state];
  return (
    <span
      role="status"
      aria-live="polite"
      data-state={state}
      className="inline-flex items-center gap-2 rounded-full border border-slate-300 px-2.5 py-0.5 text-xs font-medium dark:border-slate-600"
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${look.dot}`} />
      {t(look.label)}
    </span>
  );
}
