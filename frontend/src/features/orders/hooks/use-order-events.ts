"use client";

/**
 * The one owner of the live connection, mounted once in the dashboard layout. No component
 * talks to the socket: events land in the query cache, the badge reads the connection store.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { API_ORIGIN } from "@/config/public-env";
import { api } from "@/lib/api";
import { isSessionRefused } from "@/lib/api-client";
import { ANONYMOUS_VIEWER } from "../filters";
import { announceAppliedChange } from "../realtime/applied-changes";
import type { SnapshotChange } from "../realtime/cache-reducer";
import { connectionStore, type ConnectionState } from "../realtime/connection-store";
import { clearDepartures, markDeparted, markPresent } from "../realtime/departures";
import { connectOrderEvents } from "../realtime/order-events-connection";
import { orderSyncFor } from "../realtime/order-sync";
import { markRecent } from "../realtime/recent-changes";
import { clearUnseen, noteArrival } from "../realtime/unseen-orders";
import { orderViewerOf, seesWholeStream } from "../permissions";
import type { Actor } from "@/lib/permissions";
import type { OrderListItem } from "../types";

export interface UseOrderEventsOptions {
  user: Actor;
  /** The refresh token was refused while reconnecting: the session is over. */
  onUnauthorized: () => void;
  /** Told of each change written into the caches (alerts); `previous` as known before it. */
  onApplied?: OnApplied;
}

type OnApplied = (type: SnapshotChange["type"], order: OrderListItem, previous: OrderListItem | undefined) => void;

export function useOrderEvents({ user, onUnauthorized, onApplied }: UseOrderEventsOptions): void {
  const queryClient = useQueryClient();
  // The latest listener, without reconnecting when it changes.
  const appliedListener = useRef(onApplied);
  useEffect(() => {
    appliedListener.current = onApplied;
  }, [onApplied]);
  const userId = user.id;
  // The grant decides the scope; a string key keeps the effect from re-running on every render.
  const grants = user.permissions.join(" ");

  useEffect(() => {
    const actor: Actor = { id: userId, permissions: grants.split(" ") };
    const sync = orderSyncFor(queryClient);
    sync.viewer = orderViewerOf(actor);
    // What the connection last said: shown again when the browser is back online (the socket
    // may have stayed up through a short blip, and then says nothing new).
    let lastState: ConnectionState = "connecting";
    const connection = connectOrderEvents({
      url: API_ORIGIN,
      queryClient,
      sync,
      readsEveryOrder: seesWholeStream(actor),
      getToken: () => api.tokens.get(),
      refreshToken: () => api.refresh(),
      isSessionRefused,
      onUnauthorized,
      onStateChange: (state) => {
        lastState = state;
        connectionStore.set(navigator.onLine === false ? "offline" : state);
      },
      onApplied: (type, order, previous) => {
        announceAppliedChange(type, order);
        appliedListener.current?.(type, order, previous);
        if (type === "order.deleted" || type === "order.left") {
          markDeparted(order, type === "order.deleted" ? "deleted" : "left");
          return;
        }
        markPresent(order.id);
        markRecent(order.id, type === "order.created" ? "created" : "updated");
        if (type === "order.created") noteArrival(order.id);
      },
    });
    const onOffline = () => connectionStore.set("offline");
    const onOnline = () => connectionStore.set(lastState);
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
    return () => {
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      connection.close();
      connectionStore.set("connecting");
      // Signed out or another user: the next stream starts from scratch (and refetches).
      sync.tracker.reset();
      sync.ledger.clear();
      sync.viewer = ANONYMOUS_VIEWER;
      clearDepartures();
      clearUnseen();
    };
  }, [queryClient, userId, grants, onUnauthorized]);
}
