// @vitest-environment node
/**
 * The connection against a real Socket.IO server that follows the SPEC §7 contract (a stand-in
 * for the gateway until it exists): handshake auth, seq, replay on resume, resync, unauthorized.
 */
import { InfiniteQueryObserver, QueryClient } from "@tanstack/react-query";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_FILTERS } from "../filters";
import { orderKeys } from "../keys";
import { listData, makeOrder } from "../test/fixtures";
import type { OrderEvent, OrderEventType, OrderListItem } from "../types";
import type { OrderListData } from "./cache-reducer";
import type { ConnectionState } from "./connection-store";
import { connectOrderEvents, type OrderEventsConnection } from "./order-events-connection";
import { OrderLedger } from "./ledger";
import type { OrderSync } from "./order-sync";
import { SeqTracker } from "./seq-tracker";
import { attachLedger } from "./apply-to-cache";

interface FakeGateway {
  url: string;
  io: Server;
  http: HttpServer;
  validToken: string;
  history: OrderEvent[];
  handshakes: Array<{ token: unknown; last_seq: unknown }>;
  resumes: number[];
  sockets(): ServerSocket[];
  /** Publishes an event with the next seq; `skipFor` sockets do not get it (a dropped emit). */
  publish(type: OrderEventType, order: OrderListItem, options?: { drop?: boolean }): OrderEvent;
}

async function startGateway(): Promise<FakeGateway> {
  const http = createServer();
  const io = new Server(http, { path: "/socket.io" });
  const gateway: FakeGateway = {
    url: "",
    io,
    http,
    validToken: "token-1",
    history: [],
    handshakes: [],
    resumes: [],
    sockets: () => [...io.of("/").sockets.values()],
    publish(type, order, options = {}) {
      const event: OrderEvent = { seq: gateway.history.length + 1, event_id: `e${gateway.history.length + 1}`, type, occurred_at: new Date().toISOString(), order };
      gateway.history.push(event);
      if (!options.drop) io.emit(type, event);
      return event;
    },
  };
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown; last_seq?: unknown };
    gateway.handshakes.push({ token: auth.token, last_seq: auth.last_seq });
    if (auth.token !== gateway.validToken) return next(new Error("unauthorized"));
    next();
  });
  io.on("connection", (socket) => {
    const replay = (after: number) => {
      for (const event of gateway.history.filter((e) => e.seq > after)) socket.emit(event.type, event);
    };
    const lastSeq = (socket.handshake.auth as { last_seq?: unknown }).last_seq;
    if (typeof lastSeq === "number") replay(lastSeq);
    socket.on("subscribe", (_filters: unknown, ack: (r: unknown) => void) => ack({ ok: true }));
    socket.on("resume", ({ last_seq }: { last_seq: number }, ack: (r: unknown) => void) => {
      gateway.resumes.push(last_seq);
      replay(last_seq);
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  gateway.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return gateway;
}

let gateway: FakeGateway;
let connection: OrderEventsConnection | undefined;
let queryClient: QueryClient;
let stopObserver: (() => void) | undefined;

beforeEach(async () => {
  gateway = await startGateway();
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
});

afterEach(async () => {
  connection?.close();
  connection = undefined;
  stopObserver?.();
  queryClient.clear();
  await new Promise<void>((resolve) => gateway.io.close(() => resolve()));
});

function connect(overrides: { token?: string; refresh?: () => Promise<unknown>; onUnauthorized?: () => void } = {}) {
  const sync: OrderSync = { ledger: new OrderLedger(), tracker: new SeqTracker(), userId: "me" };
  attachLedger(queryClient, sync.ledger, () => sync.userId);
  let token = overrides.token ?? gateway.validToken;
  const states: ConnectionState[] = [];
  const refresh = vi.fn(
    overrides.refresh ??
      (async () => {
        token = gateway.validToken;
      }),
  );
  const onUnauthorized = vi.fn(overrides.onUnauthorized);
  connection = connectOrderEvents({
    url: gateway.url,
    queryClient,
    sync,
    getToken: () => token,
    refreshToken: refresh,
    onUnauthorized,
    onStateChange: (s) => states.push(s),
    ackTimeoutMs: 2_000,
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100 },
  });
  return { sync, states, refresh, onUnauthorized, setToken: (t: string) => (token = t) };
}

/** A list query with an observer (so resyncs refetch it), served from `rows`. */
function observeList(rows: () => OrderListItem[]) {
  const queryFn = vi.fn(async () => ({ items: rows(), next_cursor: null }));
  const observer = new InfiniteQueryObserver(queryClient, {
    queryKey: orderKeys.list(DEFAULT_FILTERS),
    queryFn,
    initialPageParam: null as string | null,
    getNextPageParam: (page: { next_cursor: string | null }) => page.next_cursor,
  });
  stopObserver = observer.subscribe(() => {});
  return queryFn;
}

const listRows = () => queryClient.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages.flatMap((p) => p.items) ?? [];
const last = <T,>(items: T[]) => items[items.length - 1];

describe("order events connection", () => {
  it("connects with the token, goes live and writes events into the cache", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(gateway.handshakes[0]).toEqual({ token: "token-1", last_seq: undefined });

    const order = makeOrder({ created_at: new Date().toISOString() });
    gateway.publish("order.created", order);
    gateway.publish("order.updated", { ...order, version: 2, status: "CONFIRMED" });
    await vi.waitFor(() => expect(listRows()[0]?.status).toBe("CONFIRMED"));
    expect(listRows()).toHaveLength(1);
  });

  it("spots a dropped event, resumes from last_seq and receives exactly what it missed", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { sync, states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    const a = makeOrder({ created_at: "2026-11-26T10:00:01.000Z" });
    const b = makeOrder({ created_at: "2026-11-26T10:00:02.000Z" });
    const c = makeOrder({ created_at: "2026-11-26T10:00:03.000Z" });
    gateway.publish("order.created", a);
    gateway.publish("order.created", b, { drop: true }); // lost on the way to this client
    gateway.publish("order.created", c);
    await vi.waitFor(() => expect(listRows().map((o) => o.id)).toEqual([c.id, b.id, a.id]));
    expect(gateway.resumes).toEqual([1]);
    expect(sync.tracker.lastSeq).toBe(3);
    expect(sync.tracker.hasGap).toBe(false);
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(states).toContain("catching-up");
  });

  it("after a reconnect sends last_seq in the handshake and catches up by replay", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { sync, states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    gateway.publish("order.created", makeOrder({ created_at: "2026-11-26T10:00:01.000Z" }));
    await vi.waitFor(() => expect(sync.tracker.lastSeq).toBe(1));

    for (const s of gateway.sockets()) s.conn.close(); // transport drops (not a server "disconnect")
    await vi.waitFor(() => expect(states).toContain("reconnecting"));
    gateway.publish("order.created", makeOrder({ created_at: "2026-11-26T10:00:02.000Z" })); // while offline
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(last(gateway.handshakes)).toEqual({ token: "token-1", last_seq: 1 });
    await vi.waitFor(() => expect(listRows()).toHaveLength(2));
    expect(sync.tracker.lastSeq).toBe(2);
  });

  it("refetches on orders.resync and shows catching-up until the data is back", async () => {
    let serverRows = [makeOrder({ number: "BEFORE" })];
    const queryFn = observeList(() => serverRows);
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toEqual(["BEFORE"]));
    const { states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    const callsBefore = queryFn.mock.calls.length;

    serverRows = [makeOrder({ number: "AFTER" })];
    gateway.io.emit("orders.resync", { reason: "history-trimmed" });
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toEqual(["AFTER"]));
    expect(queryFn.mock.calls.length).toBeGreaterThan(callsBefore);
    expect(states).toContain("catching-up");
    await vi.waitFor(() => expect(last(states)).toBe("live"));
  });

  it("on connect_error unauthorized refreshes the token and reconnects", async () => {
    const { states, refresh } = connect({ token: "expired" });
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(gateway.handshakes.map((h) => h.token)).toEqual(["expired", "token-1"]);
  });

  it("when the server disconnects it (token expiry) refreshes and reconnects", async () => {
    const { states, refresh, setToken } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    setToken("stale");
    gateway.validToken = "token-2";
    const refreshed = vi.fn(async () => setToken("token-2"));
    refresh.mockImplementation(refreshed);
    for (const s of gateway.sockets()) s.disconnect(true);
    await vi.waitFor(() => expect(last(gateway.handshakes)?.token).toBe("token-2"));
    await vi.waitFor(() => expect(last(states)).toBe("live"));
  });

  it("gives up and signs out when the refresh is refused", async () => {
    const onUnauthorized = vi.fn();
    const { states } = connect({
      token: "expired",
      refresh: async () => {
        throw new Error("refresh refused");
      },
      onUnauthorized,
    });
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    expect(last(states)).toBe("offline");
  });
});
