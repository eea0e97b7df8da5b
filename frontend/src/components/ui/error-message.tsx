"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import { isApiError } from "@/lib/problem";

/** A problem shown to a person: its detail (or a friendly fallback) and the request id to quote. */
export function ErrorMessage({ error, fallback }: { error: unknown; fallback?: string }) {
  const { t } = useI18n();
  let text = fallback ?? t("common.unexpectedError");
  let requestId: string | undefined;
  if (isApiError(error)) {
    if (error.kind === "network") text = t("common.networkError");
    else if (!fallback) text = error.problem.detail ?? error.problem.title;
    requestId = error.requestId;
  }
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      <p>{text}</p>
      {requestId ? <p className="mt-1 text-xs opacity-75">{t("common.requestId", { id: requestId })}</p> : null}
    </div>
  );
}
