"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import { ORDER_STATUSES, type OrderStats, type OrderStatus } from "../types";

interface Props {
  selected: OrderStatus | null;
  /** The "Overdue" tab is the selected one (then no status tab is). */
  overdue: boolean;
  stats: OrderStats | undefined;
  onSelect(status: OrderStatus | null): void;
  onOverdue(): void;
}

/** "All", one tab per status and "Overdue", each with its count. */
export function StatusTabs({ selected, overdue, stats, onSelect, onOverdue }: Props) {
  const { t } = useI18n();
  const total = stats ? Object.values(stats.counts).reduce((sum, n) => sum + (n ?? 0), 0) : undefined;
  const tabs: Array<{ status: OrderStatus | null; label: string; count: number | undefined }> = [
    { status: null, label: t("orders.tabs.all"), count: total },
    ...ORDER_STATUSES.map((status) => ({ status, label: t(`status.${status}`), count: stats ? (stats.counts[status] ?? 0) : undefined })),
  ];
  return (
    <div role="tablist" aria-label={t("orders.col.status")} className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-700">
      {tabs.map((tab) => {
        const active = !overdue && tab.status === selected;
        return (
          <button
            key={tab.status ?? "ALL"}
            type="button"
            role="tab"
            aria-selected={active}
            onClick={() => onSelect(tab.status)}
            className={`-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-blue-500 ${
              active
                ? "border-blue-600 text-blue-700 dark:border-blue-400 dark:text-blue-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
            }`}
          >
            {tab.label}{" "}
            <span className="rounded-full bg-slate-100 px-2 text-xs tabular-nums text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              {tab.count ?? "–"}
            </span>
          </button>
        );
      })}
      <button
        type="button"
        role="tab"
        aria-selected={overdue}
        onClick={onOverdue}
        className={`-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-blue-500 ${
          overdue
            ? "border-red-600 text-red-700 dark:border-red-400 dark:text-red-300"
            : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
        }`}
      >
        {t("orders.tabs.overdue")}{" "}
        <span className="rounded-full bg-red-50 px-2 text-xs tabular-nums text-red-700 dark:bg-red-950 dark:text-red-300">
          {stats?.overdue ?? "–"}
        </span>
      </button>
    </div>
  );
}
