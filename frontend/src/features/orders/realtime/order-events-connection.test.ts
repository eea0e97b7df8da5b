// @vitest-environment node
/**
 * The connection against a real Socket.IO server that mimics the gateway as built
 * (gateway/src/realtime/{session,hub,viewer}.rs): handshake `auth {token, last_seq}` with replay or
 * `orders.resync`, per-socket visibility (an agent only gets its orders; an order that leaves a
 * view is delivered once more so the view can drop it), a GLOBAL `seq` (so a filtered or agent
 * socket sees jumps), `subscribe` ack `{ok, statuses, assignee}`, `resume` ack
 * `{ok, outcome: {replayed: {count}} | "resync", last_seq}`, `order.left` (instead of the full
 * order, live and on replay) to an agent whose order was reassigned away, `orders.batch` to a
 * socket whose handshake asked (`auth.batch`), and `unauthorized`.
 */
import { InfiniteQueryObserver, QueryClient } from "@tanstack/react-query";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_FILTERS, type OrderViewer } from "../filters";
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

const AGENT = "agent-1";
const AGENT_TOKEN = "agent-token";

type Prior = Pick<OrderListItem, "status" | "assignee_id">;

interface Stored {
  event: OrderEvent;
  previous?: Prior;
}

interface Who {
  userId: string;
  assignedOnly: boolean;
}

interface FakeGateway {
  url: string;
  io: Server;
  http: HttpServer;
  validToken: string;
  history: Stored[];
  /** Events with a seq at or below this are no longer in the history (trimmed). */
  trimmedUpTo: number;
  handshakes: Array<{ token: unknown; last_seq: unknown }>;
  resumes: number[];
  sockets(): ServerSocket[];
  /**
   * Publishes an event with the next (global) seq to the sockets that may see it, before or after
   * the change; `drop` loses it on the way to every socket (what the resume protocol repairs).
   */
  publish(type: OrderEventType, order: OrderListItem, options?: { drop?: boolean; previous?: Prior }): OrderEvent;
  /**
   * Publishes several events that waited together: one `orders.batch` (with `again`, events
   * already sent, in front) to a socket whose handshake asked for batches, single events to others.
   */
  publishTogether(changes: Array<[OrderEventType, OrderListItem]>, again?: OrderEvent[]): void;
}

function sees(who: Who, state: Prior): boolean {
  return !who.assignedOnly || state.assignee_id === who.userId;
}

async function startGateway(): Promise<FakeGateway> {
  const http = createServer();
  const io = new Server(http, { path: "/socket.io" });
  const whoOf = (socket: ServerSocket) => socket.data as Who;
  const visible = (socket: ServerSocket, stored: Stored) =>
    sees(whoOf(socket), stored.event.order) || (stored.previous !== undefined && sees(whoOf(socket), stored.previous));
  // What the gateway sends one socket for one stored event: `order.left {id, version, assignee_id}` to a
  // socket that follows only its own orders when the change took the order away from it.
  const emitTo = (socket: ServerSocket, stored: Stored) => {
    const who = whoOf(socket);
    const { event, previous } = stored;
    const takenAway = who.assignedOnly && previous !== undefined && sees(who, previous) && !sees(who, event.order);
    if (takenAway) {
      const left = { seq: event.seq, event_id: event.event_id, type: "order.left", occurred_at: event.occurred_at, order: { id: event.order.id, version: event.order.version, assignee_id: event.order.assignee_id } };
      socket.emit("order.left", left);
    } else {
      socket.emit(event.type, event);
    }
  };
  const gateway: FakeGateway = {
    url: "",
    io,
    http,
    validToken: "token-1",
    history: [],
    trimmedUpTo: 0,
    handshakes: [],
    resumes: [],
    sockets: () => [...io.of("/").sockets.values()],
    publish(type, order, options = {}) {
      const seq = gateway.history.length + 1;
      const event: OrderEvent = { seq, event_id: `e${seq}`, type, occurred_at: new Date().toISOString(), order };
      const stored = { event, previous: options.previous };
      gateway.history.push(stored);
      if (!options.drop) for (const socket of gateway.sockets()) if (visible(socket, stored)) emitTo(socket, stored);
      return event;
    },
    publishTogether(changes, again = []) {
      const stored = changes.map(([type, order]) => {
        const seq = gateway.history.length + 1;
        const entry = { event: { seq, event_id: `e${seq}`, type, occurred_at: new Date().toISOString(), order } };
        gateway.history.push(entry);
        return entry;
      });
      for (const socket of gateway.sockets()) {
        if ((socket.handshake.auth as { batch?: unknown }).batch === true) {
          socket.emit("orders.batch", { events: [...again, ...stored.map((s) => s.event)] });
        } else {
          for (const entry of stored) emitTo(socket, entry);
        }
      }
    },
  };
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown; last_seq?: unknown };
    gateway.handshakes.push({ token: auth.token, last_seq: auth.last_seq });
    if (auth.token === gateway.validToken) socket.data = { userId: "me", assignedOnly: false } satisfies Who;
    else if (auth.token === AGENT_TOKEN) socket.data = { userId: AGENT, assignedOnly: true } satisfies Who;
    else return next(new Error("unauthorized"));
    next();
  });
  io.on("connection", (socket) => {
    const replay = (after: number): number | "resync" => {
      if (after < gateway.trimmedUpTo) {
        socket.emit("orders.resync", { reason: "history-unavailable" });
        return "resync";
      }
      let count = 0;
      for (const stored of gateway.history.filter((s) => s.event.seq > after && visible(socket, s))) {
        emitTo(socket, stored);
        count += 1;
      }
      return count;
    };
    const lastSeq = (socket.handshake.auth as { last_seq?: unknown }).last_seq;
    if (typeof lastSeq === "number") replay(lastSeq);
    socket.on("subscribe", (filters: { statuses?: string[]; assignee?: string }, ack: (r: unknown) => void) =>
      ack({ ok: true, statuses: filters.statuses ?? null, assignee: filters.assignee ?? (whoOf(socket).assignedOnly ? "me" : null) }),
    );
    socket.on("resume", ({ last_seq }: { last_seq: number }, ack: (r: unknown) => void) => {
      gateway.resumes.push(last_seq);
      const outcome = replay(last_seq);
      ack({ ok: true, outcome: outcome === "resync" ? "resync" : { replayed: { count: outcome } }, last_seq: gateway.history.length });
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

function connect(
  overrides: { token?: string; agent?: boolean; refresh?: () => Promise<unknown>; onUnauthorized?: () => void } = {},
) {
  const viewer: OrderViewer = overrides.agent ? { userId: AGENT, assignedOnly: true } : { userId: "me", assignedOnly: false };
  const sync: OrderSync = { ledger: new OrderLedger(), tracker: new SeqTracker(), viewer };
  attachLedger(queryClient, sync.ledger, () => sync.viewer);
  let token = overrides.token ?? (overrides.agent ? AGENT_TOKEN : gateway.validToken);
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
    readsEveryOrder: !overrides.agent,
    ackTimeoutMs: 2_000,
    refusedFreshTokenDelayMs: 20,
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100 },
  });
  return { sync, states, refresh, onUnauthorized, setToken: (t: string) => (token = t) };
}

/** A list query with an observer (so resyncs refetch it), served from `rows`. */
function observeList(rows: () => OrderListItem[] | Promise<OrderListItem[]>) {
  const queryFn = vi.fn(async () => ({ items: await rows(), next_cursor: null }));
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

  it("asks for batches and writes an orders.batch into the cache in one write, in order, without the copies", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { sync, states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(gateway.sockets()[0]?.handshake.auth).toMatchObject({ batch: true });
    const a = makeOrder({ created_at: "2026-11-26T10:00:01.000Z" });
    const b = makeOrder({ created_at: "2026-11-26T10:00:02.000Z" });
    const first = gateway.publish("order.created", a);
    await vi.waitFor(() => expect(listRows()).toHaveLength(1));

    const writes = vi.spyOn(queryClient, "setQueryData");
    gateway.publishTogether(
      [
        ["order.created", b],
        ["order.updated", { ...a, version: 2, status: "CONFIRMED" }],
        ["order.updated", { ...b, version: 2, status: "CANCELLED" }],
      ],
      [first],
    );
    await vi.waitFor(() => expect(sync.tracker.lastSeq).toBe(4));
    // Written on the writer's schedule (at least MIN_GAP_MS after the first write), all at once.
    await vi.waitFor(() =>
      expect(listRows().map((o) => [o.id, o.status])).toEqual([
        [b.id, "CANCELLED"],
        [a.id, "CONFIRMED"],
      ]),
    );
    const listKey = JSON.stringify(orderKeys.list(DEFAULT_FILTERS));
    expect(writes.mock.calls.filter(([key]) => JSON.stringify(key) === listKey)).toHaveLength(1);
    expect(sync.tracker.hasGap).toBe(false);
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

  it("goes live only once the list read before the stream began has been read again", async () => {
    let gate: Promise<void> = Promise.resolve();
    let serverRows = [makeOrder({ number: "BEFORE" })];
    const queryFn = observeList(async () => {
      await gate;
      return serverRows;
    });
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toEqual(["BEFORE"]));
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    serverRows = [makeOrder({ number: "CREATED-BEFORE-THE-STREAM" })];

    const { states } = connect();
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    expect(states).not.toContain("live");
    expect(last(states)).toBe("catching-up");
    open();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(listRows().map((o) => o.number)).toEqual(["CREATED-BEFORE-THE-STREAM"]);
  });

  it("reads again a list whose fetch was still running when the socket connected", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reads = 0;
    const queryFn = observeList(async () => {
      reads += 1;
      const read = reads;
      if (read === 1) await gate; // the read that began before the stream
      return [makeOrder({ number: `READ-${read}` })];
    });
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(1));
    const { states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    expect(queryFn).toHaveBeenCalledTimes(2);
    expect(states).toContain("catching-up");
    expect(listRows().map((o) => o.number)).toEqual(["READ-2"]);
    open(); // the abandoned read finishes late: its result is discarded
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listRows().map((o) => o.number)).toEqual(["READ-2"]);
  });

  it("refetches on orders.resync and shows catching-up until the data is back", async () => {
    let serverRows = [makeOrder({ number: "BEFORE" })];
    const queryFn = observeList(() => serverRows);
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toEqual(["BEFORE"]));
    const { states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    const callsBefore = queryFn.mock.calls.length;

    serverRows = [makeOrder({ number: "AFTER" })];
    gateway.io.emit("orders.resync", { reason: "history-unavailable" });
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
        throw Object.assign(new Error("refresh refused"), { status: 401 });
      },
      onUnauthorized,
    });
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    expect(last(states)).toBe("offline");
  });

  it("a freshly refreshed token refused again (a revocation's second) waits and refreshes again, never signs out", async () => {
    // After a password reset the gateway refuses tokens issued at or before the reset's second:
    // a token refreshed within that second is refused too, a later one works.
    let issued = 0;
    const onUnauthorized = vi.fn();
    const { states, refresh, setToken } = connect({
      token: "before-reset",
      refresh: async () => {
        issued += 1;
        setToken(`fresh-${issued}`);
        if (issued === 5) gateway.validToken = "fresh-5";
      },
      onUnauthorized,
    });
    await vi.waitFor(() => expect(last(states)).toBe("live"), { timeout: 10_000 });
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(refresh).toHaveBeenCalledTimes(5);
    expect(gateway.handshakes.map((h) => h.token)).toEqual(["before-reset", "fresh-1", "fresh-2", "fresh-3", "fresh-4", "fresh-5"]);
    expect(states).not.toContain("offline");
  });

  it("keeps the session when the refresh fails because the gateway is down, and retries", async () => {
    let gatewayUp = false;
    const onUnauthorized = vi.fn();
    const { states, refresh, setToken } = connect({
      token: "expired",
      refresh: async () => {
        if (!gatewayUp) throw Object.assign(new Error("Network error"), { status: 0 });
        setToken(gateway.validToken);
      },
      onUnauthorized,
    });
    await vi.waitFor(() => expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(last(states)).toBe("connecting");
    gatewayUp = true;
    await vi.waitFor(() => expect(last(states)).toBe("live"), { timeout: 10_000 });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
  it("an agent socket sees seq jumps as normal: no resume, and last_seq follows the newest seq", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { sync, states } = connect({ agent: true });
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    const mine = makeOrder({ assignee_id: AGENT, created_at: "2026-11-26T10:00:01.000Z" });
    gateway.publish("order.created", makeOrder()); // seq 1: someone else's, not delivered
    gateway.publish("order.created", mine); // seq 2
    gateway.publish("order.created", makeOrder({ assignee_id: "other" })); // seq 3: not delivered
    gateway.publish("order.updated", { ...mine, version: 2, status: "CONFIRMED" }); // seq 4
    await vi.waitFor(() => expect(listRows()[0]?.status).toBe("CONFIRMED"));
    expect(listRows().map((o) => o.id)).toEqual([mine.id]);
    expect(gateway.resumes).toEqual([]);
    expect(sync.tracker.lastSeq).toBe(4);
    expect(sync.tracker.hasGap).toBe(false);
    expect(states).not.toContain("catching-up");

    for (const s of gateway.sockets()) s.conn.close();
    await vi.waitFor(() => expect(gateway.handshakes).toHaveLength(2));
    expect(last(gateway.handshakes)).toEqual({ token: AGENT_TOKEN, last_seq: 4 });
    await vi.waitFor(() => expect(last(states)).toBe("live"));
  });

  it("drops an order from an agent's board when it is reassigned away (order.left), and counts it out", async () => {
    const mine = makeOrder({ assignee_id: AGENT, created_at: "2026-11-26T10:00:01.000Z" });
    const other = makeOrder({ assignee_id: AGENT, created_at: "2026-11-26T10:00:02.000Z" });
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [other, mine] }));
    const statsKey = orderKeys.statsFor(DEFAULT_FILTERS);
    queryClient.setQueryData(statsKey, { counts: { PENDING: 2 }, total: 2, created_last_hour: 0 });
    const { sync, states } = connect({ agent: true });
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    sync.ledger.observe([mine, other]);
    const received: string[] = [];
    for (const socket of gateway.sockets()) socket.onAnyOutgoing((name: string) => received.push(name));
    gateway.publish("order.updated", { ...mine, version: 2, assignee_id: "someone-else" }, { previous: { status: "PENDING", assignee_id: AGENT } });
    await vi.waitFor(() => expect(listRows().map((o) => o.id)).toEqual([other.id]));
    expect(received).toEqual(["order.left"]);
    // Whom it went to is known (to tell the agent), nothing more of it.
    expect(sync.ledger.get(mine.id)).toMatchObject({ version: 2, assignee_id: "someone-else" });
    expect(queryClient.getQueryData(statsKey)).toEqual({ counts: { PENDING: 1 }, total: 1, created_last_hour: 0 });
    expect(sync.tracker.lastSeq).toBe(1);
  });

  it("an order.left replayed after a reconnect drops the order too", async () => {
    const mine = makeOrder({ assignee_id: AGENT, created_at: "2026-11-26T10:00:01.000Z" });
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [mine] }));
    // The refresh after the server's disconnect keeps the agent's token (the default swaps in a dispatcher's).
    const { sync, states } = connect({ agent: true, refresh: async () => {} });
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    sync.ledger.observe([mine]);
    gateway.publish("order.updated", { ...mine, version: 2, status: "CONFIRMED" }); // seq 1, still theirs
    await vi.waitFor(() => expect(listRows()[0]?.status).toBe("CONFIRMED"));
    // Lost on the way, then the socket drops: the reconnect's last_seq replays it as order.left.
    gateway.publish("order.updated", { ...mine, version: 3, status: "CONFIRMED", assignee_id: null }, { drop: true, previous: { status: "CONFIRMED", assignee_id: AGENT } });
    for (const socket of gateway.sockets()) socket.disconnect(false);
    await vi.waitFor(() => expect(last(gateway.handshakes)?.last_seq).toBe(1));
    await vi.waitFor(() => expect(listRows()).toEqual([]));
    expect(sync.tracker.lastSeq).toBe(2);
    expect(gateway.handshakes.map((h) => h.token)).toEqual([AGENT_TOKEN, AGENT_TOKEN]);
  });

  it("a filtered list drops an order whose new status no longer matches", async () => {
    const order = makeOrder({ created_at: "2026-11-26T10:00:01.000Z" });
    const pendingKey = orderKeys.list({ statuses: ["PENDING"] });
    queryClient.setQueryData(pendingKey, listData({ items: [order] }));
    const { states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    gateway.publish("order.updated", { ...order, version: 2, status: "CONFIRMED" }, { previous: { status: "PENDING", assignee_id: null } });
    await vi.waitFor(() => expect(queryClient.getQueryData<OrderListData>(pendingKey)?.pages[0]?.items).toEqual([]));
  });

  it("refetches when the replay cannot cover the hole (resume outcome \"resync\")", async () => {
    let serverRows: OrderListItem[] = [];
    const queryFn = observeList(() => serverRows);
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalled());
    const { sync, states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    gateway.publish("order.created", makeOrder({ created_at: "2026-11-26T10:00:01.000Z" }));
    await vi.waitFor(() => expect(sync.tracker.lastSeq).toBe(1));
    const callsBefore = queryFn.mock.calls.length;
    const lost = makeOrder({ number: "LOST", created_at: "2026-11-26T10:00:02.000Z" });
    gateway.publish("order.created", lost, { drop: true });
    gateway.trimmedUpTo = 2; // …and already gone from the history
    serverRows = [lost];
    gateway.publish("order.created", makeOrder({ created_at: "2026-11-26T10:00:03.000Z" }));
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toContain("LOST"));
    expect(gateway.resumes).toEqual([1]);
    expect(queryFn.mock.calls.length).toBeGreaterThan(callsBefore);
    await vi.waitFor(() => expect(last(states)).toBe("live"));
  });

  it("starts over from the new position when the stream restarted (orders.resync, then seq 1)", async () => {
    queryClient.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
    const { sync, states } = connect();
    await vi.waitFor(() => expect(last(states)).toBe("live"));
    for (let i = 0; i < 5; i++) gateway.publish("order.created", makeOrder({ created_at: `2026-11-26T10:00:0${i}.000Z` }));
    await vi.waitFor(() => expect(sync.tracker.lastSeq).toBe(5));

    gateway.history = []; // Redis lost its data: seq starts again at 1
    gateway.io.emit("orders.resync", { reason: "stream-restarted" });
    await vi.waitFor(() => expect(sync.tracker.lastSeq).toBeNull());
    const fresh = makeOrder({ number: "FRESH", created_at: "2026-11-26T11:00:00.000Z" });
    gateway.publish("order.created", fresh);
    await vi.waitFor(() => expect(listRows().map((o) => o.number)).toContain("FRESH"));
    expect(sync.tracker.lastSeq).toBe(1);
    expect(gateway.resumes).toEqual([]);
  });
});
