"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import { SESSION_END_MESSAGES, type SessionEndReason } from "@/lib/session-end";

/** Why the person is on the sign-in page when they did not sign out here; calm, not an error. */
export function SessionEndedNotice({ reason }: { reason: SessionEndReason | null }) {
  const { t } = useI18n();
  if (!reason) return null;
  return (
    <div
      role="status"
      data-reason={reason}
      className="rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100"
    >
      {t(SESSION_END_MESSAGES[reason])}
    </div>
  );
}
