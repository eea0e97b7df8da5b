"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useUserNames } from "@/features/users/api/user-names";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useAudit } from "../api/get-audit";
import { useOrderAudit } from "../api/get-order-audit";
import { describeDetails } from "../describe";
import { describeOrderDetails, ORDER_ACTION_LABELS } from "../describe-order";
import { isBackwards, NO_FILTERS, sourcesRead, type AuditFilters, type AuditSource } from "../filters";
import { mergeSources, type LoadedSource } from "../merge";
import {
  AUDIT_ACTIONS,
  isAuditAction,
  isOrderAuditAction,
  ORDER_AUDIT_ACTIONS,
  type AuditEntry,
  type OrderActionEntry,
} from "../types";

const ACTION_LABELS: Record<(typeof AUDIT_ACTIONS)[number], MessageKey> = {
  "user.created": "audit.action.userCreated",
  "user.updated": "audit.action.userUpdated",
  "user.admin_seeded": "audit.action.adminSeeded",
  "session.refresh_reuse_detected": "audit.action.refreshReuse",
};

const SOURCES = ["all", "accounts", "orders"] as const satisfies readonly AuditSource[];

function isSource(value: string): value is AuditSource {
  return (SOURCES as readonly string[]).includes(value);
}

const inputClass =
  "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

/**
 * The audit log (`audit:read`): who did what to which account or order, when; filtered and
 * paged. Account actions (users-service) and order actions (orders-service) are two paged
 * sources merged by time on the page (`merge.ts`), or one of them alone.
 */
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

type Row = { kind: "account"; at: string; entry: AuditEntry } | { kind: "order"; at: string; entry: OrderActionEntry };

function AuditContent() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const backwards = isBackwards(filters);
  const read = sourcesRead(filters);
  const accounts = useAudit(filters, read.accounts && !backwards);
  const orders = useOrderAudit(filters, read.orders && !backwards);
  const names = useUserNames(true);
  const nameOf = useMemo(() => {
    const byId = new Map((names.data ?? []).map((person) => [person.id, person.display_name]));
    return (id: string) => byId.get(id) ?? id;
  }, [names.data]);
  const queries = { accounts, orders };
  const merged = useMemo(() => {
    const sources: Partial<Record<keyof typeof queries, LoadedSource<Row>>> = {};
    if (read.accounts) {
      const items = accounts.data?.pages.flatMap((page) => page.items) ?? [];
      sources.accounts = { loaded: accounts.data !== undefined, items: items.map((entry) => ({ kind: "account", at: entry.at, entry })), hasMore: accounts.hasNextPage };
    }
    if (read.orders) {
      const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
      sources.orders = { loaded: orders.data !== undefined, items: items.map((entry) => ({ kind: "order", at: entry.at, entry })), hasMore: orders.hasNextPage };
    }
    return mergeSources(sources as Record<keyof typeof queries, LoadedSource<Row>>);
  }, [read.accounts, read.orders, accounts.data, accounts.hasNextPage, orders.data, orders.hasNextPage]);
  const pending = (read.accounts && accounts.isPending) || (read.orders && orders.isPending);
  const fetchingMore = accounts.isFetchingNextPage || orders.isFetchingNextPage;
  const set = (patch: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...patch }));

  return (
    <div className="mx-auto flex h-full max-w-6xl flex-col gap-4 overflow-auto">
      <h1 className="text-lg font-semibold">{t("audit.title")}</h1>
      <form aria-label={t("audit.filters")} className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("audit.source")}
          <select className={inputClass} value={filters.source} onChange={(e) => set({ source: isSource(e.target.value) ? e.target.value : "all" })}>
            {SOURCES.map((source) => (
              <option key={source} value={source}>
                {t(`audit.source.${source}`)}
              </option>
            ))}
          </select>
        </label>
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
            onChange={(e) => {
              const action = e.target.value;
              set({ action: isAuditAction(action) || isOrderAuditAction(action) ? action : "" });
            }}
          >
            <option value="">{t("audit.filter.anyAction")}</option>
            {filters.source !== "orders" ? (
              <optgroup label={t("audit.source.accounts")}>
                {AUDIT_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {t(ACTION_LABELS[action])}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {filters.source !== "accounts" ? (
              <optgroup label={t("audit.source.orders")}>
                {ORDER_AUDIT_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {t(ORDER_ACTION_LABELS[action])}
                  </option>
                ))}
              </optgroup>
            ) : null}
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
      {accounts.error ? <ErrorMessage error={accounts.error} /> : null}
      {orders.error ? <ErrorMessage error={orders.error} /> : null}
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
            {merged.rows.map((row) =>
              row.kind === "account" ? (
                <EntryRow key={`a${row.entry.id}`} entry={row.entry} />
              ) : (
                <OrderActionRow key={`o${row.entry.id}`} entry={row.entry} nameOf={nameOf} />
              ),
            )}
            {!pending && !backwards && merged.rows.length === 0 && merged.loadMore.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-500">
                  {t("audit.empty")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {pending && !backwards ? (
        <p className="text-sm text-slate-500" aria-busy="true">
          {t("common.loading")}
        </p>
      ) : null}
      {merged.loadMore.length > 0 ? (
        <Button
          className="self-start"
          onClick={() => merged.loadMore.forEach((source) => void queries[source].fetchNextPage())}
          disabled={fetchingMore}
        >
          {fetchingMore ? t("common.loading") : t("audit.more")}
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

function OrderActionRow({ entry, nameOf }: { entry: OrderActionEntry; nameOf: (id: string) => string }) {
  const { t, dateTime } = useI18n();
  const action = isOrderAuditAction(entry.action) ? t(ORDER_ACTION_LABELS[entry.action]) : entry.action;
  return (
    <tr data-order-action-id={entry.id} className="border-b border-slate-100 align-top dark:border-slate-800">
      <td className="whitespace-nowrap px-3 py-2">
        <time dateTime={entry.at}>{dateTime(entry.at)}</time>
      </td>
      <td className="px-3 py-2">{nameOf(entry.actor_id)}</td>
      <td className="px-3 py-2">{action}</td>
      <td className="px-3 py-2">
        {entry.order_id && entry.order_number ? (
          <Link
            href={`/orders?order=${encodeURIComponent(entry.order_id)}`}
            className="font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-300"
            aria-label={t("audit.order.open", { number: entry.order_number })}
          >
            {entry.order_number}
          </Link>
        ) : null}
      </td>
      <td className="px-3 py-2">
        <ul>
          {describeOrderDetails(entry.action, entry.details as Record<string, unknown>, t, nameOf).map((phrase) => (
            <li key={phrase}>{phrase}</li>
          ))}
        </ul>
      </td>
    </tr>
  );
}
