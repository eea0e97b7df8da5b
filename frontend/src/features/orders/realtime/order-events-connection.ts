/**
 * The Socket.IO connection to the gateway (SPEC §7), free of React so it can be tested against
 * a real Socket.IO server: writes events into the query cache through the ledger, follows `seq`,
 * resumes after gaps and reconnects, refetches on `orders.resync`, refreshes the token on
 * `unauthorized`, and reports a truthful connection state.
 */
import type { QueryClient } from "@tanstack/react-query";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { orderKeys } from "../keys";
import type { OrderEvent, OrderEventType, OrderListItem, ResyncEvent } from "../types";
import { applySnapshots } from "./apply-to-cache";
import { toListItem, type SnapshotChange } from "./cache-reducer";
import type { ConnectionState } from "./connection-store";
import type { OrderSync } from "./order-sync";

const ORDER_EVENTS: readonly OrderEventType[] = ["order.created", "order.updated", "order.deleted"];
const MAX_UNAUTHORIZED_IN_A_ROW = 3;

export interface OrderEventsOptions {
  url: string;
  queryClient: QueryClient;
  sync: OrderSync;
  getToken(): string | null;
  /** Gets a new access token (the API client's shared refresh). */
  refreshToken(): Promise<unknown>;
  /** The refresh was refused: the session is over. */
  onUnauthorized(): void;
  onStateChange(state: ConnectionState): void;
  /** Called for each event that changed the caches (for highlights and alerts). */
  onApplied?(type: OrderEventType, order: OrderListItem): void;
  onResync?(reason: string | undefined): void;
  ackTimeoutMs?: number;
  /** Events arriving within this window are written to the cache together (one render per burst). */
  batchMs?: number;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface OrderEventsConnection {
  readonly socket: Socket;
  close(): void;
}

interface Ack {
  ok?: boolean;
  resync?: boolean;
}

function isOrderEvent(value: unknown): value is OrderEvent {
  const event = value as OrderEvent | null;
  return (
    typeof event === "object" &&
    event !== null &&
    typeof event.seq === "number" &&
    typeof event.order === "object" &&
    event.order !== null &&
    typeof event.order.id === "string" &&
    typeof event.order.version === "number"
  );
}

export function connectOrderEvents(options: OrderEventsOptions): OrderEventsConnection {
  const { queryClient, sync } = options;
  const ackTimeout = options.ackTimeoutMs ?? 10_000;

  const socket = io(options.url, {
    path: "/socket.io",
    transports: ["websocket"],
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    // A function, so every (re)connect sends the current token and stream position.
    auth: (send) => send({ token: options.getToken(), last_seq: sync.tracker.lastSeq ?? undefined }),
    ...options.socketOptions,
  });

  let state: ConnectionState = "connecting";
  let connectedBefore = false;
  let resuming = false;
  let resyncing = false;
  let unauthorizedInARow = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pending: SnapshotChange[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pending.length === 0 || closed) return;
    const batch = pending;
    pending = [];
    for (const change of applySnapshots(queryClient, sync.ledger, batch, sync.userId)) {
      options.onApplied?.(change.type, change.order);
    }
  };

  const setState = (next: ConnectionState) => {
    if (closed || next === state) return;
    state = next;
    options.onStateChange(next);
  };

  /** Refetch what is shown; the tracker continues from what had been seen when it started. */
  const resync = async () => {
    if (closed || resyncing) return;
    resyncing = true;
    setState("catching-up");
    flush();
    const mark = sync.tracker.highestSeq;
    try {
      await queryClient.invalidateQueries({ queryKey: orderKeys.all });
    } finally {
      resyncing = false;
      sync.tracker.markResynced(mark);
      if (sync.tracker.hasGap) resumeGap();
      else setState(socket.connected ? "live" : "reconnecting");
    }
  };

  /** A hole in `seq`: ask for a replay; if it cannot close the hole, refetch. */
  const resumeGap = () => {
    if (resuming || resyncing || closed || !socket.connected) return;
    const plan = sync.tracker.plan();
    if (plan.action === "none") return;
    if (plan.action === "resync") {
      void resync();
      return;
    }
    resuming = true;
    setState("catching-up");
    socket.timeout(ackTimeout).emit("resume", { last_seq: plan.lastSeq }, (err: Error | null, ack?: Ack) => {
      resuming = false;
      if (closed) return;
      // Replayed events arrive before the ack on the same socket: a hole left now is beyond replay.
      if (err || ack?.ok === false || ack?.resync || sync.tracker.hasGap) void resync();
      else setState("live");
    });
  };

  const refreshThenConnect = () => {
    options.refreshToken().then(
      () => {
        if (!closed) socket.connect();
      },
      () => {
        if (closed) return;
        setState("offline");
        options.onUnauthorized();
      },
    );
  };

  socket.on("connect", () => {
    const reconnected = connectedBefore;
    connectedBefore = true;
    unauthorizedInARow = 0;
    const connectedAt = Date.now();
    const plan = sync.tracker.plan(reconnected);
    setState(plan.action === "none" ? "live" : "catching-up");
    // Whatever the server replays for the handshake's last_seq comes before this ack.
    socket.timeout(ackTimeout).emit("subscribe", {}, (err: Error | null) => {
      if (closed) return;
      if (err || plan.action === "resync") {
        void resync();
        return;
      }
      if (!reconnected) {
        // Data fetched before the stream started may have missed events: refetch just that.
        void queryClient.invalidateQueries({
          queryKey: orderKeys.all,
          predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < connectedAt,
        });
      }
      if (sync.tracker.hasGap) resumeGap();
      else setState("live");
    });
  });

  for (const type of ORDER_EVENTS) {
    socket.on(type, (payload: unknown) => {
      if (!isOrderEvent(payload)) return;
      if (sync.tracker.observe(payload.seq) === "duplicate") return;
      pending.push({ type, order: toListItem(payload.order) });
      flushTimer ??= setTimeout(flush, options.batchMs ?? 16);
      if (sync.tracker.hasGap) resumeGap();
    });
  }

  socket.on("orders.resync", (payload: ResyncEvent | undefined) => {
    options.onResync?.(payload?.reason);
    void resync();
  });

  socket.on("disconnect", (reason) => {
    if (closed) return;
    setState("reconnecting");
    // The server closed it (e.g. the token expired): Socket.IO will not retry by itself.
    if (reason === "io server disconnect") refreshThenConnect();
  });

  socket.on("connect_error", (error) => {
    if (closed) return;
    setState(connectedBefore ? "reconnecting" : "connecting");
    if (error.message === "unauthorized") {
      unauthorizedInARow += 1;
      if (unauthorizedInARow > MAX_UNAUTHORIZED_IN_A_ROW) {
        // A fresh token refused again and again: stop instead of looping.
        setState("offline");
        options.onUnauthorized();
      } else {
        refreshThenConnect();
      }
    } else if (!socket.active) {
      retryTimer = setTimeout(() => !closed && socket.connect(), 2_000 + Math.random() * 3_000);
    }
  });

  options.onStateChange(state);
  socket.connect();

  return {
    socket,
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
