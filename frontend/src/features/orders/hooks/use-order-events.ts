"use client";

/**
 * The one owner of the live connection, mounted once in the dashboard layout. No component
 * talks to the socket: events land in the query cache, the badge reads the connection store.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { env } from "@/config/public-env";
import { api } from "@/lib/api";
import { connectionStore } from "../realtime/connection-store";
import { notifyNewUnassignedOrder, watchVisibility } from "../realtime/new-order-alerts";
import { connectOrderEvents } from "../realtime/order-events-connection";
import { orderSyncFor } from "../realtime/order-sync";
import { markRecent } from "../realtime/recent-changes";

export interface UseOrderEventsOptions {
  userId: string;
  /** The refresh token was refused while reconnecting: the session is over. */
  onUnauthorized: () => void;
}

export function useOrderEvents({ userId, onUnauthorized }: UseOrderEventsOptions): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    const sync = orderSyncFor(queryClient);
    sync.userId = userId;
    const connection = connectOrderEvents({
      url: env.NEXT_PUBLIC_API_URL,
      queryClient,
      sync,
      getToken: () => api.tokens.get(),
      refreshToken: () => api.refresh(),
      onUnauthorized,
      onStateChange: (state) => connectionStore.set(navigator.onLine === false ? "offline" : state),
      onApplied: (type, order) => {
        if (type === "order.deleted") return;
        markRecent(order.id, type === "order.created" ? "created" : "updated");
        if (type === "order.created" && order.assignee === null) notifyNewUnassignedOrder();
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
      sync.userId = null;
    };
  }, [queryClient, userId, onUnauthorized]);
}
