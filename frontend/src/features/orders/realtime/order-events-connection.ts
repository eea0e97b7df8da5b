/**
 * The live order stream (SPEC §7, gateway/src/realtime/session.rs), free of React so it can be
 * tested against a real Socket.IO server. Wires three parts and reports one truthful state:
 * - the transport (`socket-transport.ts`, decisions in `link-machine.ts`): the socket, `last_seq`
 *   in every handshake, token refresh on `unauthorized` or a server-side disconnect; only a
 *   refused refresh ends the session, a refused socket never does by itself;
 * - the catch-up policy (`catch-up.ts`, decisions in `catch-up-machine.ts`): subscribe, resume
 *   after a jump when the socket receives the whole stream, refetch on `orders.resync`;
 * - the cache-writing path (`event-writer.ts`): events into the query cache through the ledger,
 *   an `orders.batch` (events that waited together at the gateway) as one write;
 * - presence (`presence.ts`): who has which order open, and the order this dashboard has open.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { ManagerOptions, Socket, SocketOptions } from "socket.io-client";
import { orderKeys } from "../keys";
import type { OrderBatchEvent, OrderEvent, OrderEventType, OrderLeftEvent, OrderListItem, OrderStatus, ResyncEvent } from "../types";
import type { SnapshotChange } from "./cache-reducer";
import { createCatchUp } from "./catch-up";
import { connectionStateOf, type ConnectionState } from "./connection-store";
import { createEventWriter, isStreamEvent } from "./event-writer";
import type { OrderSync } from "./order-sync";
import { linkPresence } from "./presence";
import { createSocketTransport } from "./socket-transport";

const ORDER_EVENTS: readonly string[] = ["order.created", "order.updated", "order.deleted"] satisfies OrderEventType[];
/** Stream events that are not a snapshot of the order: it left this view, a note was written. */
const SIDE_EVENTS: readonly string[] = ["order.left", "order.noted"];

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
  onApplied?(type: SnapshotChange["type"], order: OrderListItem, previous: OrderListItem | undefined): void;
  onResync?(reason: string | undefined): void;
  ackTimeoutMs?: number;
  /**
   * First wait before refreshing again when a just-refreshed token was refused too (doubling,
   * at most 30 s); default 1 s.
   */
  refusedFreshTokenDelayMs?: number;
  /** Events arriving within this window are written to the cache together (one render per burst). */
  batchMs?: number;
  /** The least time between two writes into the cache (default `MIN_GAP_MS`). */
  minGapMs?: number;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface OrderEventsConnection {
  readonly socket: Socket;
  close(): void;
}

const refusedByStatus = (error: unknown) => [401, 403].includes((error as { status?: unknown } | null)?.status as number);

export function connectOrderEvents(options: OrderEventsOptions): OrderEventsConnection {
  const { queryClient, sync } = options;
  const subscription = options.subscription ?? {};
  sync.tracker.setComplete(options.readsEveryOrder && !subscription.statuses && !subscription.assignee);

  let reported: ConnectionState | undefined;
  const report = () => {
    const next = connectionStateOf(transport.link, catchUp.state);
    if (next === reported) return;
    reported = next;
    options.onStateChange(next);
  };

  const writer = createEventWriter({ queryClient, sync, batchMs: options.batchMs, minGapMs: options.minGapMs, onApplied: options.onApplied });
  const transport = createSocketTransport({
    url: options.url,
    getToken: options.getToken,
    getLastSeq: () => sync.tracker.lastSeq,
    refreshToken: options.refreshToken,
    isSessionRefused: options.isSessionRefused ?? refusedByStatus,
    onSessionEnded: options.onUnauthorized,
    onUp: (reconnected) => catchUp.socketUp(reconnected),
    onDown: () => catchUp.socketDown(),
    onChange: report,
    timing: { refusedFreshTokenDelayMs: options.refusedFreshTokenDelayMs ?? 1_000 },
    socketOptions: options.socketOptions,
  });
  const { socket } = transport;
  const catchUp = createCatchUp({
    socket,
    queryClient,
    sync,
    subscription,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    flushEvents: writer.flush,
    onChange: report,
  });

  // Each stream event, alone or out of a batch; false for one that is not (or a duplicate).
  const receive = (type: string, payload: unknown): boolean => {
    if (!isStreamEvent<OrderEvent | OrderLeftEvent>(payload)) return false;
    if (!ORDER_EVENTS.includes(type) && !SIDE_EVENTS.includes(type)) return false;
    if (sync.tracker.observe(payload.seq) === "duplicate") return false;
    if (type === "order.left") {
      // The order was taken away from this viewer (an agent's order reassigned): drop it from every view.
      writer.writeLeft(payload as OrderLeftEvent);
    } else if (type === "order.noted") {
      // A note was written on an order: the open drawer's timeline reads the order again.
      void queryClient.invalidateQueries({ queryKey: orderKeys.detail(payload.order.id) });
    } else {
      writer.write(type as OrderEvent["type"], (payload as OrderEvent).order);
    }
    catchUp.eventSeen();
    return true;
  };
  for (const type of [...ORDER_EVENTS, ...SIDE_EVENTS]) socket.on(type, (payload: unknown) => receive(type, payload));

  // Events that waited together at the gateway: queued together, so written in one write (on
  // the writer's schedule: batches arrive many times a second under a burst).
  socket.on("orders.batch", (payload: OrderBatchEvent | undefined) => {
    if (!Array.isArray(payload?.events)) return;
    for (const event of payload.events) receive(event?.type, event);
  });

  socket.on("orders.resync", (payload: ResyncEvent | undefined) => {
    options.onResync?.(payload?.reason);
    catchUp.serverResync();
  });

  const unlinkPresence = linkPresence(socket);
  transport.open();

  return {
    socket,
    close() {
      unlinkPresence();
      catchUp.close();
      writer.close();
      transport.close();
    },
  };
}
