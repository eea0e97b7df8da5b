/**
 * The live board's alerts for one signed-in user: `useOrderAlerts` gives the listener the order
 * stream calls with each applied change; each is checked against the user's choice (read at
 * that moment from their preferences) and paced by the throttle. `useNewOrderAlerts` says which
 * new orders the same choice alerts about, for the tab title's count.
 */
import { useCallback, useEffect, useRef } from "react";
import { usePreferences } from "@/lib/theme";
import type { OrderListItem } from "@/features/orders/types";
import { preferencesStore } from "@/lib/preferences";
import { alertKindOf, alertsAboutNewOrder, createAlertThrottle, type AlertThrottle } from "./alerts";
import { browserOutlets } from "./browser-outlets";
import { deliverAlert } from "./deliver";

/** At most one alert per this interval; the rest wait and come grouped. */
export const ALERT_INTERVAL_MS = 5_000;

export function useOrderAlerts(me: string) {
  const throttle = useRef<AlertThrottle | null>(null);
  useEffect(() => {
    const created = createAlertThrottle({
      intervalMs: ALERT_INTERVAL_MS,
      now: () => Date.now(),
      schedule: (run, delayMs) => {
        const timer = window.setTimeout(run, delayMs);
        return () => window.clearTimeout(timer);
      },
      deliver: (group) => deliverAlert(group, preferencesStore.get(), browserOutlets),
    });
    throttle.current = created;
    return () => {
      created.dispose();
      throttle.current = null;
    };
  }, []);
  return useCallback(
    (type: Parameters<typeof alertKindOf>[0], order: OrderListItem, previous: OrderListItem | undefined) => {
      const kind = alertKindOf(type, order, previous, me, preferencesStore.get());
      if (kind) throttle.current?.add(kind, order.number);
    },
    [me],
  );
}

/** Whether a new order is one the user's Alerts choice alerts `me` about; follows the menu as it changes. */
export function useNewOrderAlerts(me: string) {
  const prefs = usePreferences();
  return useCallback((order: OrderListItem) => alertsAboutNewOrder(order, me, prefs), [me, prefs]);
}
