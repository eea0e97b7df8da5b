import { queryOptions } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { OrderMetrics } from "../types";

/** Read again this often even when nothing arrives: ages grow, today's figures move. */
export const METRICS_REFRESH_MS = 30_000;

export const kpiKeys = {
  all: ["kpis"] as const,
  metrics: (utcOffset: number) => [...kpiKeys.all, "metrics", utcOffset] as const,
};

/** This browser's offset from UTC in minutes east (`420` in Bangkok), for "today". */
export function browserUtcOffset(): number {
  return -new Date().getTimezoneOffset();
}

/** `GET /orders/metrics` (`orders:read`; an agent's figures count its own orders). */
export function getMetrics(utcOffset: number, signal?: AbortSignal): Promise<OrderMetrics> {
  return api.request<OrderMetrics>("/orders/metrics", { query: { utc_offset: utcOffset }, signal });
}

export function metricsQueryOptions(utcOffset: number) {
  return queryOptions({
    queryKey: kpiKeys.metrics(utcOffset),
    queryFn: ({ signal }) => getMetrics(utcOffset, signal),
    refetchInterval: METRICS_REFRESH_MS,
  });
}
