"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useUserNames } from "@/features/users/api/user-names";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useAudit } from "../api/get-audit";
import { describeDetails } from "../describe";
import { isBackwards, NO_FILTERS, type AuditFilters } from "../filters";
import { AUDIT_ACTIONS, isAuditAction, type AuditEntry } from "../types";

const ACTION_LABELS: Record<(typeof AUDIT_ACTIONS)[number], MessageKey> = {
  "user.created": "audit.action.userCreated",
  "user.updated": "audit.action.userUpdated",
  "user.admin_seeded": "audit.action.adminSeeded",
  "session.refresh_reuse_detected": "audit.action.refreshReuse",
};

const inputClass =
  "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

/** The audit log (`audit:read`): who did what to which account, when; filtered and paged. */
export function AuditPage({ actor }: { actor: Actor }) {
  const { t } = useI18n();
  if (!hasPermission(actor, PERMISSIONS.auditRead)) {
    return (
      <div role="alert" className="text-sm text-slate-600 dark:text-slate-300">
        {t("audit.forbidden")}
      </div>
    );
  }
  return <AuditContent />;
}

function AuditContent() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const backwards = isBackwards(filters);
  const audit = useAudit(filters, !backwards);
  const names = useUserNames(true);
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (patch: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...patch }));

  return (
    <div className="mx-auto flex h-full max-w-6xl flex-col gap-4 overflow-auto">
      <h1 className="text-lg font-semibold">{t("audit.title")}</h1>
      <form aria-label={t("audit.filters")} className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("audit.filter.actor")}
          <select className={inputClass} value={filters.actor} onChange={(e) => set({ actor: e.target.value })}>
            <option value="">{t("audit.filter.anyone")}</option>
            {(names.data ?? []).map((person) => (
              <option key={person.id} value={person.id}>
                {person.display_name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("audit.filter.action")}
          <select
            className={inputClass}
            value={filters.action}
            onChange={(e) => set({ action: isAuditAction(e.target.value) ? e.target.value : "" })}
          >
            <option value="">{t("audit.filter.anyAction")}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(ACTION_LABELS[action])}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("audit.filter.from")}
          <input type="date" className={inputClass} value={filters.fromDay} onChange={(e) => set({ fromDay: e.target.value })} />
        </label>
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("audit.filter.to")}
          <input type="date" className={inputClass} value={filters.toDay} onChange={(e) => set({ toDay: e.target.value })} />
        </label>
        <Button variant="ghost" onClick={() => setFilters(NO_FILTERS)} disabled={filters === NO_FILTERS}>
          {t("audit.filter.clear")}
        </Button>
      </form>
      {backwards ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {t("audit.filter.backwards")}
        </p>
      ) : null}
      {audit.error ? <ErrorMessage error={audit.error} /> : null}
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{t("audit.title")}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400">
              <th scope="col" className="px-3 py-2">{t("audit.col.when")}</th>
              <th scope="col" className="px-3 py-2">{t("audit.col.who")}</th>
              <th scope="col" className="px-3 py-2">{t("audit.col.action")}</th>
              <th scope="col" className="px-3 py-2">{t("audit.col.account")}</th>
              <th scope="col" className="px-3 py-2">{t("audit.col.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} />
            ))}
            {audit.isSuccess && entries.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-500">
                  {t("audit.empty")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {audit.isPending && !backwards ? (
        <p className="text-sm text-slate-500" aria-busy="true">
          {t("common.loading")}
        </p>
      ) : null}
      {audit.hasNextPage ? (
        <Button className="self-start" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {audit.isFetchingNextPage ? t("common.loading") : t("audit.more")}
        </Button>
      ) : null}
    </div>
  );
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  const { t, dateTime } = useI18n();
  const action = isAuditAction(entry.action) ? t(ACTION_LABELS[entry.action]) : entry.action;
  return (
    <tr data-audit-id={entry.id} className="border-b border-slate-100 align-top dark:border-slate-800">
      <td className="whitespace-nowrap px-3 py-2">
        <time dateTime={entry.at}>{dateTime(entry.at)}</time>
      </td>
      <td className="px-3 py-2">{entry.actor_id ? (entry.actor_name ?? entry.actor_id) : t("audit.system")}</td>
      <td className="px-3 py-2">{action}</td>
      <td className="px-3 py-2">
        {entry.target_name ?? entry.target_id ?? ""}
        {entry.target_email ? <span className="block text-xs text-slate-500">{entry.target_email}</span> : null}
      </td>
      <td className="px-3 py-2">
        <ul>
          {describeDetails(entry.details as Record<string, unknown>, t).map((phrase) => (
            <li key={phrase}>{phrase}</li>
          ))}
        </ul>
        {entry.request_id ? <span className="block text-xs text-slate-500">{t("common.requestId", { id: entry.request_id })}</span> : null}
      </td>
    </tr>
  );
}
