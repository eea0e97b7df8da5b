"use client";

/**
 * The one owner of the live connection, mounted once in the dashboard layout. No component
 * talks to the socket: events land in the query cache, the badge reads the connection store.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { API_ORIGIN } from "@/config/public-env";
import { api } from "@/lib/api";
import { isSessionRefused } from "@/lib/api-client";
import { ANONYMOUS_VIEWER } from "../filters";
import { connectionStore } from "../realtime/connection-store";
import { clearDepartures, markDeparted, markPresent } from "../realtime/departures";
import { notifyNewUnassignedOrder, watchVisibility } from "../realtime/new-order-alerts";
import { connectOrderEvents } from "../realtime/order-events-connection";
import { orderSyncFor } from "../realtime/order-sync";
import { markRecent } from "../realtime/recent-changes";
import { orderViewerOf, seesWholeStream } from "../permissions";
import type { Actor } from "@/lib/permissions";

export interface UseOrderEventsOptions {
  user: Actor;
  /** The refresh token was refused while reconnecting: the session is over. */
  onUnauthorized: () => void;
}

export function useOrderEvents({ user, onUnauthorized }: UseOrderEventsOptions): void {
  const queryClient = useQueryClient();
  const userId = user.id;
  // The grant decides the scope; a string key keeps the effect from re-running on every render.
  const grants = user.permissions.join(" ");

  useEffect(() => {
    const actor: Actor = { id: userId, permissions: grants.split(" ") };
    const sync = orderSyncFor(queryClient);
    sync.viewer = orderViewerOf(actor);
    const connection = connectOrderEvents({
      url: API_ORIGIN,
      queryClient,
      sync,
      readsEveryOrder: seesWholeStream(actor),
      getToken: () => api.tokens.get(),
      refreshToken: () => api.refresh(),
      isSessionRefused,
      onUnauthorized,
      onStateChange: (state) => connectionStore.set(navigator.onLine === false ? "offline" : state),
      onApplied: (type, order) => {
        if (type === "order.deleted" || type === "order.left") {
          markDeparted(order.id, type === "order.deleted" ? "deleted" : "left");
          return;
        }
        markPresent(order.id);
        markRecent(order.id, type === "order.created" ? "created" : "updated");
        if (type === "order.created" && order.assignee_id === null) notifyNewUnassignedOrder();
      },
    });
    const onOffline = () => connectionStore.set("offline");
    window.addEventListener("offline", onOffline);
    const stopVisibility = watchVisibility();
    return () => {
      window.removeEventListener("offline", onOffline);
      stopVisibility();
      connection.close();
      connectionStore.set("connecting");
      // Signed out or another user: the next stream starts from scratch (and refetches).
      sync.tracker.reset();
      sync.ledger.clear();
      sync.viewer = ANONYMOUS_VIEWER;
      clearDepartures();
    };
  }, [queryClient, userId, grants, onUnauthorized]);
}
