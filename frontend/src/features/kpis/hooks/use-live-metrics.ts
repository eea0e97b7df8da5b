"use client";

/**
 * The KPIs, live: read from `GET /orders/metrics` (again every 30 s), a new order from the event
 * stream counted at once, any other change read again shortly after (debounced, so a burst of
 * changes costs one read), and the per-minute window moved on with the clock.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { onAppliedChange } from "@/features/orders/realtime/applied-changes";
import { useNow } from "@/lib/use-now";
import { browserUtcOffset, kpiKeys, metricsQueryOptions } from "../api/get-metrics";
import { rollWindow, withCreatedOrder } from "../live";
import type { OrderMetrics } from "../types";

/** How long after a change (other than a new order) the page reads the metrics again. */
export const CHANGE_REREAD_MS = 2_000;

export function useLiveMetrics() {
  const queryClient = useQueryClient();
  const [utcOffset] = useState(browserUtcOffset);
  const query = useQuery(metricsQueryOptions(utcOffset));

  useEffect(() => {
    const key = kpiKeys.metrics(utcOffset);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = onAppliedChange((type, order) => {
      if (type === "order.created") {
        queryClient.setQueryData<OrderMetrics>(key, (metrics) => metrics && withCreatedOrder(metrics, order, Date.now()));
        return;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: key, exact: true });
      }, CHANGE_REREAD_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, utcOffset]);

  const now = useNow(15_000);
  const metrics = useMemo(() => (query.data ? rollWindow(query.data, now) : undefined), [query.data, now]);
  return { ...query, metrics };
}
