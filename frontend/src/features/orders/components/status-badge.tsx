"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import type { OrderPriority, OrderStatus } from "../types";

const STATUS_CLASS: Record<OrderStatus, string> = {
  PENDING: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  CONFIRMED: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  PROCESSING: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200",
  SHIPPED: "bg-violet-100 text-violet-900 dark:bg-violet-900/40 dark:text-violet-200",
  DELIVERED: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  CANCELLED: "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200",
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${STATUS_CLASS[status]}`}>
      {t(`status.${status}`)}
    </span>
  );
}

export function PriorityLabel({ priority }: { priority: OrderPriority }) {
  const { t } = useI18n();
  return priority === "high" ? (
    <span className="text-xs font-semibold text-red-700 dark:text-red-300">▲ {t("priority.high")}</span>
  ) : (
    <span className="text-xs text-slate-500 dark:text-slate-400">{t("priority.normal")}</span>
  );
}
