"use client";

/**
 * Two small SVG charts with their text alternative: `ColumnChart` (a time series, one column per
 * minute) and `BarList` (one horizontal bar per category). Each is a `figure` whose picture has
 * a one-sentence `aria-label`, and whose numbers are also a table (under "Show as table").
 * Colours are Tailwind classes, so both themes apply.
 */
import { useId } from "react";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { Bar } from "../chart-data";

interface ChartProps {
  title: string;
  /** What the picture shows, in one sentence (the `aria-label` of the image). */
  summary: string;
  bars: readonly Bar[];
  /** Header of the table's label column. */
  labelHeader: string;
}

function DataTable({ bars, labelHeader }: Pick<ChartProps, "bars" | "labelHeader">) {
  const { t } = useI18n();
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer text-slate-600 dark:text-slate-300">{t("kpis.showTable")}</summary>
      <table className="mt-1 w-full text-left">
        <thead>
          <tr className="text-slate-500 dark:text-slate-400">
            <th scope="col" className="py-0.5 pr-2 font-medium">
              {labelHeader}
            </th>
            <th scope="col" className="py-0.5 text-right font-medium">
              {t("kpis.orders")}
            </th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row" className="py-0.5 pr-2 font-normal">
                {bar.label}
              </th>
              <td className="py-0.5 text-right tabular-nums">{bar.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

const TONE_CLASS: Record<NonNullable<Bar["tone"]>, string> = {
  normal: "fill-blue-600 dark:fill-blue-500",
  warn: "fill-amber-500 dark:fill-amber-400",
  alert: "fill-red-600 dark:fill-red-400",
};

const HEIGHT = 120;

/** Columns over time, oldest on the left; a label under every tenth column. */
export function ColumnChart({ title, summary, bars, labelHeader }: ChartProps) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const width = bars.length * 10;
  return (
    <figure aria-labelledby={titleId} className="min-w-0">
      <figcaption id={titleId} className="mb-2 text-sm font-semibold">
        {title}
      </figcaption>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${HEIGHT + 16}`} className="h-40 w-full" preserveAspectRatio="none">
        <line x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} className="stroke-slate-300 dark:stroke-slate-600" strokeWidth={0.5} />
        {bars.map((bar, i) => {
          const h = (bar.value / max) * (HEIGHT - 4);
          return (
            <rect
              key={bar.key}
              data-value={bar.value}
              x={i * 10 + 1}
              y={HEIGHT - h}
              width={8}
              height={h}
              className={i === bars.length - 1 ? "fill-blue-400 dark:fill-blue-300" : "fill-blue-600 dark:fill-blue-500"}
            >
              <title>{`${bar.label}: ${bar.value}`}</title>
            </rect>
          );
        })}
        {bars.map((bar, i) =>
          i % 10 === 0 ? (
            <text key={`label-${bar.key}`} x={i * 10 + 1} y={HEIGHT + 12} fontSize={9} className="fill-slate-500 dark:fill-slate-400">
              {bar.label}
            </text>
          ) : null,
        )}
      </svg>
      <DataTable bars={bars} labelHeader={labelHeader} />
    </figure>
  );
}

/** One horizontal bar per category, its label on the left and its number on the right. */
export function BarList({ title, summary, bars, labelHeader }: ChartProps) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 22;
  return (
    <figure aria-labelledby={titleId} className="min-w-0">
      <figcaption id={titleId} className="mb-2 text-sm font-semibold">
        {title}
      </figcaption>
      <svg role="img" aria-label={summary} viewBox={`0 0 300 ${Math.max(1, bars.length) * row}`} preserveAspectRatio="xMinYMin meet" className="w-full" style={{ height: `${Math.max(1, bars.length) * 1.5}rem` }}>
        {bars.map((bar, i) => {
          const w = (bar.value / max) * 150;
          return (
            <g key={bar.key} transform={`translate(0 ${i * row})`} data-key={bar.key} data-value={bar.value} data-tone={bar.tone ?? "normal"}>
              <text x={0} y={15} fontSize={11} className="fill-slate-700 dark:fill-slate-200">
                {bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label}
              </text>
              <rect
                x={120}
                y={4}
                width={Math.max(w, bar.value > 0 ? 2 : 0)}
                height={14}
                rx={2}
                className={TONE_CLASS[bar.tone ?? "normal"]}
              />
              <text x={124 + w} y={15} fontSize={11} className="fill-slate-900 tabular-nums dark:fill-slate-100">
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable bars={bars} labelHeader={labelHeader} />
    </figure>
  );
}
