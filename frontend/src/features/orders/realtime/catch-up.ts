/**
 * Carries out the catch-up policy of `catch-up-machine.ts` on one socket: `subscribe` (ack),
 * re-reading what was read before the first stream began, `resume {last_seq}` (ack) and the
 * refetch (`resync`), keeping the seq tracker's position in step with each. Knows nothing of
 * tokens or reconnecting: the transport says when the socket is up or down.
 */
import type { Query, QueryClient } from "@tanstack/react-query";
import type { Socket } from "socket.io-client";
import { orderKeys } from "../keys";
import type { OrderStatus, ResumeAck, SubscribeAck } from "../types";
import { catchUpTransition, INITIAL_CATCH_UP, type CatchUpEffect, type CatchUpEvent, type CatchUpState } from "./catch-up-machine";
import type { OrderSync } from "./order-sync";

export interface CatchUpOptions {
  socket: Socket;
  queryClient: QueryClient;
  sync: OrderSync;
  /** What `subscribe` asks for (`{}`: every order the user may read). */
  subscription: { statuses?: OrderStatus[]; assignee?: "me" };
  ackTimeoutMs: number;
  /** Writes the events still queued (before a refetch). */
  flushEvents(): void;
  /** After every change of the catch-up's state. */
  onChange(state: CatchUpState): void;
}

export interface CatchUp {
  readonly state: CatchUpState;
  socketUp(reconnected: boolean): void;
  socketDown(): void;
  /** An event arrived: if the tracker now sees a hole, close it. */
  eventSeen(): void;
  /** `orders.resync`: the server cannot replay; the position is forgotten and everything refetched. */
  serverResync(): void;
  close(): void;
}

/** The order queries holding data when the socket connected, and whether a fetch was running. */
type ReadBefore = ReadonlyMap<Query, boolean>;

function isReplayed(ack: ResumeAck | undefined): ack is Extract<ResumeAck, { ok: true }> & { outcome: { replayed: { count: number } } } {
  return !!ack && ack.ok === true && typeof ack.outcome === "object" && ack.outcome !== null && "replayed" in ack.outcome;
}

export function createCatchUp(options: CatchUpOptions): CatchUp {
  const { socket, queryClient, sync } = options;
  const tracker = sync.tracker;
  let state = INITIAL_CATCH_UP;
  let closed = false;
  let readBefore: ReadBefore = new Map();
  let connectedAt = 0;

  function dispatch(event: CatchUpEvent) {
    if (closed) return;
    const before = state;
    const step = catchUpTransition(state, event);
    state = step.state;
    if (state !== before) options.onChange(state);
    step.effects.forEach(run);
  }

  /** Refetch what is shown; the tracker continues from what had been seen when it started. */
  async function resync() {
    options.flushEvents();
    const mark = tracker.highestSeq;
    try {
      await queryClient.invalidateQueries({ queryKey: orderKeys.all });
    } finally {
      tracker.markResynced(mark);
      dispatch({ type: "resynced", gap: tracker.plan() });
    }
  }

  /**
   * The first stream has no `last_seq` to resume from, so data read before it began (fetched, or
   * still being fetched, when the socket connected) may have missed events: refetch exactly that
   * (an in-flight fetch is restarted).
   */
  async function reread() {
    const queries = [...readBefore]
      .filter(([query, wasFetching]) => wasFetching || query.state.dataUpdatedAt < connectedAt)
      .map(([query]) => query);
    if (queries.length > 0) {
      dispatch({ type: "reread-started", shown: queries.some((query) => query.isActive()) });
      // A first fetch still running would be joined, not restarted, by the invalidation.
      const running = queries.filter((query) => readBefore.get(query) && query.state.fetchStatus === "fetching");
      if (running.length > 0) await queryClient.cancelQueries({ predicate: (query) => running.includes(query) });
      await queryClient.invalidateQueries({ queryKey: orderKeys.all, predicate: (query) => queries.includes(query) });
    }
    dispatch({ type: "reread-done", gap: tracker.plan() });
  }

  function run(effect: CatchUpEffect) {
    switch (effect.type) {
      case "subscribe":
        // Live only once `subscribe` is acknowledged (the stream flows with this socket's filters).
        // The handshake's `last_seq` makes the server replay what this socket missed (or emit
        // `orders.resync`); those events may come before or after this ack and are applied as they come.
        socket.timeout(options.ackTimeoutMs).emit("subscribe", options.subscription, (err: Error | null, ack?: SubscribeAck) =>
          dispatch({ type: "subscribed", ok: !err && ack?.ok === true, gap: tracker.plan() }),
        );
        return;
      case "reread":
        void reread();
        return;
      case "resume":
        socket.timeout(options.ackTimeoutMs).emit("resume", { last_seq: effect.lastSeq }, (err: Error | null, ack?: ResumeAck) => {
          // `"resync"`: the server has also emitted `orders.resync` (handled there). Replayed events
          // arrive before the ack on the same socket, so the replay covered everything this socket
          // may see up to the gateway's `last_seq`; a hole left below it is not ours, one above it
          // cannot be replayed now: refetch.
          const replayed = !err && isReplayed(ack);
          if (replayed) tracker.markResynced(ack.last_seq);
          dispatch({ type: "resumed", replayed, gap: tracker.plan() });
        });
        return;
      case "resync":
        void resync();
        return;
    }
  }

  return {
    get state() {
      return state;
    },
    socketUp(reconnected) {
      connectedAt = Date.now();
      readBefore = new Map(
        queryClient
          .getQueryCache()
          .findAll({ queryKey: orderKeys.all })
          .filter((query) => query.state.dataUpdatedAt > 0 || query.state.fetchStatus === "fetching")
          .map((query) => [query, query.state.fetchStatus === "fetching"]),
      );
      dispatch({ type: "socket-up", reconnected, plan: tracker.plan(reconnected).action });
    },
    socketDown: () => dispatch({ type: "socket-down" }),
    eventSeen() {
      if (tracker.hasGap) dispatch({ type: "gap-seen", gap: tracker.plan() });
    },
    serverResync() {
      // The refetch is the new baseline and the next event's seq the new position (history gone,
      // or Redis restarted and `seq` began again at 1).
      options.flushEvents();
      tracker.reset();
      dispatch({ type: "server-resync" });
    },
    close() {
      closed = true;
    },
  };
}
