"use client";

/** Shows the last "you are offline" notice until the connection is back or it is dismissed. */
import { useEffect, useSyncExternalStore } from "react";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { offlineNotice, useOnline } from "@/lib/online";

export function OfflineNoticeBanner() {
  const { t } = useI18n();
  const online = useOnline();
  const notice = useSyncExternalStore(offlineNotice.subscribe, offlineNotice.get, () => null);
  useEffect(() => {
    if (online) offlineNotice.set(null);
  }, [online]);
  if (!notice) return null;
  return (
    <p role="alert" className="flex items-center justify-between gap-3 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
      {t(notice.key)}
      <button type="button" className="text-xs underline" onClick={() => offlineNotice.set(null)}>
        {t("common.close")}
      </button>
    </p>
  );
}
