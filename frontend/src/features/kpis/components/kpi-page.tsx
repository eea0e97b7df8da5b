"use client";

/**
 * The KPI page (`/kpis`): how the floor is doing, live. Five figures from `GET /orders/metrics`
 * (an agent's count its own orders): orders per minute, by status, time to confirmed and to
 * shipped, open orders by age and per assignee; each chart with its numbers as a table too.
 */
import type { ReactNode } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { usePeople, usePersonLabel } from "@/features/orders/people";
import { canReadOrders, seesWholeStream } from "@/features/orders/permissions";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { INTL_LOCALE } from "@/lib/i18n/messages";
import type { Actor } from "@/lib/permissions";
import { ageBars, assigneeBars, formatDuration, peak, perMinuteBars, statusBars, total, type Bar } from "../chart-data";
import { useLiveMetrics } from "../hooks/use-live-metrics";
import type { LeadTime } from "../types";
import { BarList, ColumnChart } from "./bar-chart";

type KpiActor = Actor & { display_name: string };

function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <section className={`rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900 ${className}`}>{children}</section>;
}

export function KpiPage({ actor }: { actor: KpiActor }) {
  const { t } = useI18n();
  if (!canReadOrders(actor)) {
    return (
      <div role="alert" className="text-sm text-slate-600 dark:text-slate-300">
        {t("kpis.forbidden")}
      </div>
    );
  }
  return <KpiContent actor={actor} />;
}

function LeadTimeTile({ title, lead }: { title: string; lead: LeadTime }) {
  const { t } = useI18n();
  return (
    <div className="min-w-40 flex-1 rounded-md bg-slate-50 p-3 dark:bg-slate-800">
      <h3 className="text-xs font-medium text-slate-600 dark:text-slate-300">{title}</h3>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
        <dt className="text-slate-500 dark:text-slate-400">{t("kpis.median")}</dt>
        <dd className="font-semibold tabular-nums">{formatDuration(lead.median_seconds)}</dd>
        <dt className="text-slate-500 dark:text-slate-400">{t("kpis.p90")}</dt>
        <dd className="font-semibold tabular-nums">{formatDuration(lead.p90_seconds)}</dd>
      </dl>
      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t("kpis.leadCount", { count: lead.orders })}</p>
    </div>
  );
}

function KpiContent({ actor }: { actor: KpiActor }) {
  const { t, locale } = useI18n();
  const intl = INTL_LOCALE[locale];
  const { metrics, error, dataUpdatedAt } = useLiveMetrics();
  const nameOf = usePersonLabel(usePeople(actor));
  const summaryOf = (title: string, bars: readonly Bar[]) =>
    t("kpis.chartSummary", { title, values: bars.map((bar) => `${bar.label} ${bar.value}`).join(", ") });

  if (!metrics) {
    return error ? (
      <ErrorMessage error={error} fallback={t("kpis.loadError")} />
    ) : (
      <p className="text-sm text-slate-500" aria-busy="true">
        {t("common.loading")}
      </p>
    );
  }

  const minutes = perMinuteBars(metrics, intl);
  const busiest = peak(minutes);
  const lastHour = total(minutes);
  const statuses = statusBars(metrics, (status) => t(`status.${status}`));
  const ages = ageBars(metrics, (count) => t("kpis.overdueCount", { count }));
  const loads = assigneeBars(metrics, nameOf, t("kpis.unassigned"));
  const updated = new Intl.DateTimeFormat(intl, { timeStyle: "medium" }).format(dataUpdatedAt);

  return (
    <div className="mx-auto flex h-full max-w-6xl flex-col gap-4 overflow-auto">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-lg font-semibold">{t("kpis.title")}</h1>
        <span className="text-xs text-slate-500 dark:text-slate-400">{t("kpis.updated", { time: updated })}</span>
        {seesWholeStream(actor) ? null : <span className="text-xs text-slate-600 dark:text-slate-300">{t("kpis.ownOnly")}</span>}
      </div>
      {error ? <ErrorMessage error={error} fallback={t("kpis.loadError")} /> : null}
      <Card>
        <p className="mb-1 text-2xl font-semibold tabular-nums" data-testid="kpi-last-hour">
          {t("kpis.lastHour", { count: lastHour })}
        </p>
        <ColumnChart
          title={t("kpis.perMinute")}
          summary={busiest ? t("kpis.perMinute.summary", { total: lastHour, at: busiest.label, peak: busiest.value }) : t("kpis.perMinute.none")}
          bars={minutes}
          labelHeader={t("kpis.minute")}
        />
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <BarList title={t("kpis.byStatus")} summary={summaryOf(t("kpis.byStatus"), statuses)} bars={statuses} labelHeader={t("kpis.status")} />
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t("kpis.byStatus.note")}</p>
        </Card>
        <Card>
          <h2 className="mb-2 text-sm font-semibold">{t("kpis.leadTimes")}</h2>
          <div className="flex flex-wrap gap-3">
            <LeadTimeTile title={t("kpis.toConfirmed")} lead={metrics.lead_times.to_confirmed} />
            <LeadTimeTile title={t("kpis.toShipped")} lead={metrics.lead_times.to_shipped} />
          </div>
        </Card>
        <Card>
          <BarList title={t("kpis.ageing")} summary={summaryOf(t("kpis.ageing"), ages)} bars={ages} labelHeader={t("kpis.age")} />
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            {t("kpis.ageing.note", metrics.overdue_after_minutes)}
          </p>
        </Card>
        <Card>
          <BarList title={t("kpis.byAssignee")} summary={summaryOf(t("kpis.byAssignee"), loads)} bars={loads} labelHeader={t("kpis.assignee")} />
        </Card>
      </div>
    </div>
  );
}
