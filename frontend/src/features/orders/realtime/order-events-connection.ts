/**
 * The Socket.IO connection to the gateway (SPEC §7, gateway/src/realtime/session.rs), free of
 * React so it can be tested against a real Socket.IO server: writes events into the query cache
 * through the ledger, follows `seq`, sends `last_seq` in the handshake of every (re)connect,
 * resumes after a jump only when the socket receives the whole stream, refetches on
 * `orders.resync`, refreshes the token on `unauthorized` or a server-side disconnect (the token
 * expired, or was issued before a password reset), and reports a truthful connection state.
 * Only a refused refresh ends the session; a refused socket never does by itself.
 */
import type { Query, QueryClient } from "@tanstack/react-query";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { orderKeys } from "../keys";
import type {
  OrderEvent,
  OrderEventType,
  OrderLeftEvent,
  OrderListItem,
  OrderStatus,
  ResumeAck,
  ResyncEvent,
  SubscribeAck,
} from "../types";
import { applySnapshots } from "./apply-to-cache";
import { toListItem, type SnapshotChange } from "./cache-reducer";
import type { ConnectionState } from "./connection-store";
import type { OrderSync } from "./order-sync";

const ORDER_EVENTS: readonly OrderEventType[] = ["order.created", "order.updated", "order.deleted"];

export interface OrderEventsOptions {
  url: string;
  queryClient: QueryClient;
  sync: OrderSync;
  getToken(): string | null;
  /** Gets a new access token (the API client's shared refresh). */
  refreshToken(): Promise<unknown>;
  /** The refresh was refused: the server ended the session. */
  onUnauthorized(): void;
  /** Whether a `refreshToken()` failure means the session is over (default: 401 or 403). */
  isSessionRefused?(error: unknown): boolean;
  onStateChange(state: ConnectionState): void;
  /**
   * The user reads every order (`orders:read`, not only `orders:read:assigned`). With an
   * unfiltered subscription the socket then receives every `seq`, and a jump means a loss.
   */
  readsEveryOrder: boolean;
  /** What `subscribe` asks for; default `{}` (every order the user may read). */
  subscription?: { statuses?: OrderStatus[]; assignee?: "me" };
  /** Called for each event that changed the caches (for highlights and alerts). */
  onApplied?(type: SnapshotChange["type"], order: OrderListItem): void;
  onResync?(reason: string | undefined): void;
  ackTimeoutMs?: number;
  /**
   * First wait before refreshing again when a just-refreshed token was refused too (doubling,
   * at most 30 s); default 1 s.
   */
  refusedFreshTokenDelayMs?: number;
  /** Events arriving within this window are written to the cache together (one render per burst). */
  batchMs?: number;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** The order queries holding data when the socket connected, and whether a fetch was running. */
type ReadBefore = ReadonlyMap<Query, boolean>;

export interface OrderEventsConnection {
  readonly socket: Socket;
  close(): void;
}

function isReplayed(ack: ResumeAck | undefined): ack is Extract<ResumeAck, { ok: true }> & { outcome: { replayed: { count: number } } } {
  return !!ack && ack.ok === true && typeof ack.outcome === "object" && ack.outcome !== null && "replayed" in ack.outcome;
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

function isOrderLeft(value: unknown): value is OrderLeftEvent {
  const event = value as OrderLeftEvent | null;
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
  const subscription = options.subscription ?? {};
  const sessionRefused =
    options.isSessionRefused ?? ((error: unknown) => [401, 403].includes((error as { status?: unknown } | null)?.status as number));
  const unfiltered = !subscription.statuses && !subscription.assignee;
  sync.tracker.setComplete(options.readsEveryOrder && unfiltered);

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
  let resyncAgain = false;
  // Refreshes that did not lead to a connection (reset on connect): a handshake refused right
  // after one means a fresh token was refused.
  let refreshesSinceConnect = 0;
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
    for (const change of applySnapshots(queryClient, sync.ledger, batch, sync.viewer)) {
      options.onApplied?.(change.type, change.order);
    }
  };

  const setState = (next: ConnectionState) => {
    if (closed || next === state) return;
    state = next;
    options.onStateChange(next);
  };

  /** Refetch what is shown; the tracker continues from what had been seen when it started. */
  const resync = async (): Promise<void> => {
    if (closed) return;
    if (resyncing) {
      // Asked again while refetching (e.g. `orders.resync` during our own refetch): the running
      // refetch may predate what the server lost, so run one more after it.
      resyncAgain = true;
      return;
    }
    resyncing = true;
    setState("catching-up");
    flush();
    const mark = sync.tracker.highestSeq;
    try {
      await queryClient.invalidateQueries({ queryKey: orderKeys.all });
    } finally {
      resyncing = false;
      sync.tracker.markResynced(mark);
      if (resyncAgain) {
        resyncAgain = false;
        void resync();
      } else if (sync.tracker.hasGap) resumeGap();
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
    socket.timeout(ackTimeout).emit("resume", { last_seq: plan.lastSeq }, (err: Error | null, ack?: ResumeAck) => {
      resuming = false;
      if (closed) return;
      // `"resync"`: the server has also emitted `orders.resync` (handled there). Replayed events
      // arrive before the ack on the same socket, so the replay covered everything this socket
      // may see up to the gateway's `last_seq`; a hole left below it is not ours, one above it
      // cannot be replayed now: refetch.
      if (isReplayed(ack)) sync.tracker.markResynced(ack.last_seq);
      if (err || !isReplayed(ack) || sync.tracker.hasGap) void resync();
      else setState("live");
    });
  };

  let refreshFailures = 0;
  const refreshThenConnect = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
    options.refreshToken().then(
      () => {
        refreshFailures = 0;
        refreshesSinceConnect += 1;
        if (!closed) socket.connect();
      },
      (error: unknown) => {
        if (closed) return;
        if (sessionRefused(error)) {
          setState("offline");
          options.onUnauthorized();
          return;
        }
        // The gateway is down or failing (e.g. it closed our socket while shutting down):
        // the session is not over, keep trying with backoff.
        setState(connectedBefore ? "reconnecting" : "connecting");
        refreshFailures += 1;
        const delay = Math.min(10_000, 500 * 2 ** Math.min(refreshFailures, 5)) * (0.5 + Math.random() / 2);
        retryTimer = setTimeout(() => !closed && refreshThenConnect(), delay);
      },
    );
  };

  /**
   * The first stream has no `last_seq` to resume from, so data read before it began (fetched, or
   * still being fetched, when the socket connected) may have missed events: refetch exactly that
   * (an in-flight fetch is restarted), and report catching-up meanwhile.
   */
  const refetchReadBeforeStream = async (readBefore: ReadBefore, connectedAt: number): Promise<void> => {
    const queries = [...readBefore]
      .filter(([query, wasFetching]) => wasFetching || query.state.dataUpdatedAt < connectedAt)
      .map(([query]) => query);
    if (queries.length === 0) return;
    if (queries.some((query) => query.isActive())) setState("catching-up");
    // A first fetch still running would be joined, not restarted, by the invalidation.
    const running = queries.filter((query) => readBefore.get(query) && query.state.fetchStatus === "fetching");
    if (running.length > 0) await queryClient.cancelQueries({ predicate: (query) => running.includes(query) });
    await queryClient.invalidateQueries({ queryKey: orderKeys.all, predicate: (query) => queries.includes(query) });
  };

  socket.on("connect", () => {
    const reconnected = connectedBefore;
    connectedBefore = true;
    refreshesSinceConnect = 0;
    const connectedAt = Date.now();
    const readBefore: ReadBefore = new Map(
      queryClient
        .getQueryCache()
        .findAll({ queryKey: orderKeys.all })
        .filter((query) => query.state.dataUpdatedAt > 0 || query.state.fetchStatus === "fetching")
        .map((query) => [query, query.state.fetchStatus === "fetching"]),
    );
    const plan = sync.tracker.plan(reconnected);
    if (plan.action !== "none") setState("catching-up");
    // Live only once `subscribe` is acknowledged (the stream is flowing with this socket's filters).
    // The handshake's `last_seq` makes the server replay what this socket missed (or emit
    // `orders.resync`); those events may come before or after this ack and are applied as they come.
    socket.timeout(ackTimeout).emit("subscribe", subscription, async (err: Error | null, ack?: SubscribeAck) => {
      if (closed) return;
      if (err || ack?.ok !== true || plan.action === "resync") {
        void resync();
        return;
      }
      if (!reconnected) await refetchReadBeforeStream(readBefore, connectedAt);
      if (closed || resyncing || resuming || !socket.connected) return;
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

  // The order was taken away from this viewer (an agent's order reassigned): drop it from every
  // view. Only what this viewer last knew is at hand; if it never knew the order, nothing shows it.
  socket.on("order.left", (payload: unknown) => {
    if (!isOrderLeft(payload)) return;
    if (sync.tracker.observe(payload.seq) === "duplicate") return;
    const known = pending.findLast((change) => change.order.id === payload.order.id)?.order ?? sync.ledger.get(payload.order.id);
    if (known) {
      pending.push({ type: "order.left", order: { ...known, assignee_id: null, version: payload.order.version } });
      flushTimer ??= setTimeout(flush, options.batchMs ?? 16);
    }
    if (sync.tracker.hasGap) resumeGap();
  });

  socket.on("orders.resync", (payload: ResyncEvent | undefined) => {
    options.onResync?.(payload?.reason);
    // The server cannot replay (history gone, or Redis restarted and `seq` began again at 1):
    // the refetch is the new baseline and the next event's seq the new position.
    flush();
    sync.tracker.reset();
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
      if (refreshesSinceConnect === 0) {
        // The token expired, or was issued before the account's sessions were ended (password
        // reset): a fresh one fixes that. If the session itself is over, the refresh says so.
        refreshThenConnect();
      } else {
        // A token refreshed just now was refused too (e.g. issued within the second of a
        // revocation, or the gateway's view lagging): not a reason to sign out, since the
        // refresh succeeded. Wait, then refresh and try again; the board keeps its data.
        const first = options.refusedFreshTokenDelayMs ?? 1_000;
        const delay = Math.min(30_000, first * 2 ** Math.min(refreshesSinceConnect - 1, 5)) * (0.5 + Math.random() / 2);
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = setTimeout(() => !closed && refreshThenConnect(), delay);
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
