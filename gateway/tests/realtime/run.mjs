// Runs one realtime scenario against a running stack with the official socket.io-client.
// Usage: SCENARIO_INPUT='{"gateway": "...", ...}' node run.mjs <scenario>
// Exits 0 when every assertion held; prints what failed otherwise.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { io } from "socket.io-client";

const input = JSON.parse(process.env.SCENARIO_INPUT ?? "{}");
const ORIGIN = "http://localhost:3000";
const DEADLINE_MS = 10_000;

/** A connected client that records every event it receives, in order. */
async function connect(url, token, extra = {}) {
  const socket = io(url, {
    auth: { token, ...(extra.auth ?? {}) },
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { origin: extra.origin ?? ORIGIN },
    forceNew: true,
  });
  socket.received = [];
  socket.presence = [];
  // The size of each `orders.batch` (asked for with `auth.batch`), whose events are recorded
  // one by one, as if each had come alone.
  socket.batches = [];
  socket.onAny((name, payload) => {
    if (name === "orders.batch") {
      socket.batches.push(payload.events.length);
      for (const event of payload.events) socket.received.push({ name: event.type, payload: event });
    } else {
      (name.startsWith("presence.") ? socket.presence : socket.received).push({ name, payload });
    }
  });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** The connect_error message a handshake is refused with. */
async function refusal(url, auth, origin = ORIGIN) {
  const socket = io(url, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { origin },
    forceNew: true,
  });
  try {
    return await new Promise((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.once("connect_error", (err) => resolve(err.message));
    });
  } finally {
    socket.close();
  }
}

async function waitFor(what, predicate, deadlineMs = DEADLINE_MS) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const value = predicate();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const eventFor = (socket, type, id, version) =>
  waitFor(`${type} of ${id} v${version ?? "any"}`, () =>
    socket.received.find(
      (e) =>
        e.name === type &&
        e.payload.order.id === id &&
        (version === undefined || e.payload.order.version === version),
    ),
  );

async function api(method, path, token, body) {
  const response = await fetch(`${input.gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A dashboard's view of the orders: events applied by version, a resync refetches. */
async function board(url, token) {
  const socket = await connect(url, token);
  const state = new Map();
  const resyncs = [];
  const refetch = async () => {
    const page = await api("GET", "/api/v1/orders?limit=200", token);
    state.clear();
    for (const o of page.items) state.set(o.id, { version: o.version, status: o.status });
  };
  socket.on("orders.resync", (payload) => {
    resyncs.push(payload.reason);
    refetch();
  });
  for (const type of ["order.created", "order.updated"]) {
    socket.on(type, ({ order }) => {
      const known = state.get(order.id);
      if (!known || known.version < order.version) state.set(order.id, { version: order.version, status: order.status });
    });
  }
  socket.on("order.deleted", ({ order }) => state.delete(order.id));
  await refetch();
  return { socket, state, resyncs };
}

/** The database's truth, through the API. */
async function truth(token) {
  const page = await api("GET", "/api/v1/orders?limit=200", token);
  return new Map(page.items.map((o) => [o.id, { version: o.version, status: o.status }]));
}

const same = (a, b) => a.size === b.size && [...a].every(([id, v]) => JSON.stringify(b.get(id)) === JSON.stringify(v));

function redis(args) {
  try {
    return execFileSync(args[0], args.slice(1), { stdio: "pipe" }).toString();
  } catch (err) {
    return String(err);
  }
}

const orderBody = (n) => ({
  customer: { name: `Realtime ${n}`, email: `realtime${n}@example.com` },
  shipping_address: { line1: `${n} Silom Road`, city: "Bangkok", postal_code: "10500", country: "TH" },
  items: [{ sku: "TEA-1", name: "Tea", quantity: 1, unit_price: 350 }],
});
const createOrder = (n) => api("POST", "/api/v1/orders", input.storefront, orderBody(n));

/** The viewers `socket` was last told about for `orderId` (a snapshot or a change), or undefined. */
function presenceOf(socket, orderId) {
  let viewers;
  for (const { name, payload } of socket.presence) {
    if (name === "presence.snapshot") {
      viewers = payload.orders.find((o) => o.order_id === orderId)?.viewers;
    } else if (payload.order_id === orderId) {
      viewers = payload.viewers;
    }
  }
  return viewers;
}

const presenceIs = (socket, orderId, viewers) =>
  waitFor(`presence of ${orderId} = [${viewers}]`, () =>
    JSON.stringify(presenceOf(socket, orderId) ?? []) === JSON.stringify([...viewers].sort()),
  );

const open = (socket, orderId) => socket.timeout(5000).emitWithAck("presence.open", { order_id: orderId });

const scenarios = {
  /** Presence across two gateways, scoped like orders: an agent sees it only on its own
   * orders and cannot open another's; changes reach the others within a second; a new socket
   * gets a snapshot; closing, opening another order and disconnecting each remove it; bad
   * requests are refused. */
  async presence() {
    const { mine, other } = input.orders;
    const dispatcher = await connect(input.gateway, input.dispatcher);
    const viewer = await connect(input.second_gateway, input.viewer);
    const agent = await connect(input.second_gateway, input.agent);
    const stranger = await connect(input.gateway, input.other_agent);

    const started = Date.now();
    assert.deepEqual(await open(dispatcher, mine), { ok: true });
    await presenceIs(viewer, mine, [input.dispatcher_id]);
    await presenceIs(agent, mine, [input.dispatcher_id]);
    assert.ok(Date.now() - started < 1000, `presence took ${Date.now() - started} ms`);

    assert.deepEqual(await open(dispatcher, other), { ok: true }, "opening another order");
    await presenceIs(viewer, other, [input.dispatcher_id]);
    await presenceIs(viewer, mine, []);
    await presenceIs(agent, mine, []);

    assert.deepEqual(await open(agent, other), { ok: false, error: "no such order" });
    assert.deepEqual(await open(agent, input.unknown_order), { ok: false, error: "no such order" });
    assert.equal((await open(agent, "not-a-uuid")).ok, false);
    assert.equal((await agent.timeout(5000).emitWithAck("presence.open", { order_id: mine, as: "x" })).ok, false);
    assert.deepEqual(await open(agent, mine), { ok: true });
    assert.deepEqual(await open(viewer, mine), { ok: true });
    await presenceIs(dispatcher, mine, [input.agent_id, input.viewer_id]);

    // A socket that connects now gets everything it may see at once.
    const late = await connect(input.gateway, input.viewer);
    await presenceIs(late, mine, [input.agent_id, input.viewer_id]);
    await presenceIs(late, other, [input.dispatcher_id]);
    const lateAgent = await connect(input.gateway, input.agent);
    await presenceIs(lateAgent, mine, [input.agent_id, input.viewer_id]);
    assert.equal(presenceOf(lateAgent, other), undefined, "an agent's snapshot names only its orders");

    assert.deepEqual(await dispatcher.timeout(5000).emitWithAck("presence.close"), { ok: true });
    await presenceIs(late, other, []);
    viewer.close();
    await presenceIs(dispatcher, mine, [input.agent_id]);

    const leaked = (socket, allowed) =>
      socket.presence.flatMap((e) =>
        e.name === "presence.snapshot" ? e.payload.orders.map((o) => o.order_id) : [e.payload.order_id],
      ).filter((id) => !allowed.includes(id));
    // Reassigned away from the agent: its presence ends, the new assignee sees the order's.
    assert.deepEqual(await open(dispatcher, mine), { ok: true });
    await presenceIs(late, mine, [input.agent_id, input.dispatcher_id]);
    assert.deepEqual(leaked(stranger, []), [], "an agent hears nothing of others' orders");
    const agentHeardBefore = agent.presence.length;
    await api("POST", `/api/v1/orders/${mine}/assign`, input.dispatcher, {
      assignee_id: input.other_agent_id,
      version: input.orders.mine_version,
    });
    await presenceIs(stranger, mine, [input.dispatcher_id]);
    await presenceIs(late, mine, [input.dispatcher_id]);
    await new Promise((r) => setTimeout(r, 300));

    // Nothing about an order the agent could not see (or no longer sees) ever reached it.
    assert.deepEqual(leaked(agent, [mine]), []);
    assert.deepEqual(leaked(stranger, [mine]), []);
    assert.deepEqual(agent.presence.slice(agentHeardBefore), [], "the agent heard of the order after it was reassigned away");
    for (const s of [dispatcher, agent, stranger, late, lateAgent]) s.close();
  },

  /** A gateway dies with a socket that has an order open (driven by the Rust test, which
   * kills it after "opened"): the entry stays while the gateway refreshes it, then expires. */
  async presence_expiry() {
    const watcher = await connect(input.gateway, input.viewer);
    const doomed = await connect(input.second_gateway, input.dispatcher);
    assert.deepEqual(await open(doomed, input.orders.mine), { ok: true });
    await presenceIs(watcher, input.orders.mine, [input.dispatcher_id]);
    // Longer than the TTL: the dying gateway's refreshes keep it.
    await new Promise((r) => setTimeout(r, input.ttl_ms * 2));
    assert.deepEqual(presenceOf(watcher, input.orders.mine), [input.dispatcher_id], "refreshed");
    console.log("opened");
    const killedAt = Date.now();
    await presenceIs(watcher, input.orders.mine, []);
    const took = Date.now() - killedAt;
    assert.ok(took <= input.ttl_ms * 3, `expired after ${took} ms (TTL ${input.ttl_ms} ms)`);
    watcher.close();
  },

  /** presence.open and presence.close are limited per account. */
  async presence_limit() {
    const socket = await connect(input.gateway, input.dispatcher);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => socket.timeout(10_000).emitWithAck("presence.close")),
    );
    const refused = answers.filter((a) => !a.ok);
    assert.ok(refused.length > 0, "some presence changes are refused");
    assert.ok(answers.filter((a) => a.ok).length >= 20, "a burst is allowed");
    assert.ok(refused.every((a) => a.retry_after >= 1 && /too many/.test(a.error)));
    socket.close();
  },


  /** Created and updated orders reach every socket allowed to see them, and only those. */
  async live_delivery() {
    const dispatcher = await connect(input.gateway, input.dispatcher);
    const viewer = await connect(input.gateway, input.viewer);
    const agent = await connect(input.gateway, input.agent);

    const first = await createOrder(1);
    const created = await eventFor(dispatcher, "order.created", first.id);
    await eventFor(viewer, "order.created", first.id);
    assert.deepEqual(Object.keys(created.payload).sort(), ["event_id", "occurred_at", "order", "seq", "type"]);
    assert.equal(created.payload.type, "order.created");
    assert.equal(created.payload.order.version, 1);
    assert.ok(Number.isInteger(created.payload.seq) && created.payload.seq >= 1);

    const assigned = await api("POST", `/api/v1/orders/${first.id}/assign`, input.dispatcher, {
      assignee_id: input.agent_id,
      version: first.version,
    });
    const update = await eventFor(agent, "order.updated", first.id, assigned.version);
    assert.equal(update.payload.order.assignee_id, input.agent_id);
    await eventFor(viewer, "order.updated", first.id, assigned.version);
    assert.ok(update.payload.seq > created.payload.seq);

    const second = await createOrder(2);
    await eventFor(dispatcher, "order.created", second.id);
    await new Promise((r) => setTimeout(r, 300));
    const leaked = agent.received.filter((e) => e.payload?.order?.id !== first.id);
    assert.deepEqual(leaked, [], "the agent received an order outside its scope");
    for (const s of [dispatcher, viewer, agent]) s.close();

    // Each delivery is timed from the change to the sockets' queues (a histogram in /metrics).
    const metrics = await (await fetch(`${input.gateway}/metrics`)).text();
    const timed = metrics.match(/^gateway_event_delivery_duration_seconds_count (\d+)/m);
    assert.ok(timed && Number(timed[1]) >= 3, `deliveries are timed: ${timed}`);
  },

  /** Handshakes without a valid token, without orders:read, or from a foreign origin. */
  async refused() {
    assert.equal(await refusal(input.gateway, {}), "unauthorized");
    assert.equal(await refusal(input.gateway, { token: "garbage" }), "unauthorized");
    assert.equal(await refusal(input.gateway, { token: input.expired }), "unauthorized");
    assert.equal(await refusal(input.gateway, { token: input.storefront }), "unauthorized");
    assert.equal(await refusal(input.gateway, { token: input.viewer }, "https://evil.example"), "unauthorized");
    for (const [what, token] of input.forged) {
      assert.equal(await refusal(input.gateway, { token }), "unauthorized", what);
    }
    assert.equal(await refusal(input.gateway, { token: input.viewer }), "connected");
  },

  /** A client that was away gets exactly the events it missed, in order, on reconnect
   * (handshake last_seq) and on request (resume with an ack). */
  async resume() {
    const observer = await connect(input.gateway, input.dispatcher);
    let away = await connect(input.gateway, input.viewer);
    const first = await createOrder(1);
    const seen = await eventFor(away, "order.created", first.id);
    away.close();

    const missed = [];
    for (let n = 2; n <= 4; n++) missed.push(await createOrder(n));
    await eventFor(observer, "order.created", missed[2].id);

    const back = await connect(input.gateway, input.viewer, { auth: { last_seq: seen.payload.seq } });
    await waitFor("three replayed events", () => back.received.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      back.received.map((e) => [e.name, e.payload.seq, e.payload.order.id]),
      missed.map((o, i) => ["order.created", seen.payload.seq + 1 + i, o.id]),
    );

    const ack = await back.timeout(5000).emitWithAck("resume", { last_seq: seen.payload.seq + 1 });
    assert.equal(ack.ok, true);
    assert.deepEqual(ack.outcome, { replayed: { count: 2 } });
    await waitFor("two more replayed events", () => back.received.length >= 5);
    assert.deepEqual(
      back.received.slice(3).map((e) => e.payload.seq),
      [seen.payload.seq + 2, seen.payload.seq + 3],
    );
    observer.close();
    back.close();
  },

  /** Driven by the Rust test of the same purpose: seq 2 is in the history, not yet published.
   * A dashboard resumes from seq 1 and gets it by replay ("replayed" tells the test, which then
   * publishes it and creates order 2 as seq 3): seq 2 must not come a second time. */
  async late_feed() {
    const back = await connect(input.gateway, input.viewer, { auth: { last_seq: 1 } });
    await eventFor(back, "order.updated", input.order_id, 2);
    console.log("replayed");
    await waitFor("seq 3", () => back.received.find((e) => e.payload?.seq === 3));
    await new Promise((r) => setTimeout(r, 300)); // a late copy would arrive now
    assert.deepEqual(
      back.received.filter((e) => e.name.startsWith("order.")).map((e) => [e.name, e.payload.seq]),
      [["order.updated", 2], ["order.created", 3]],
    );
    back.close();
  },

  /** A dashboard far more events behind than its socket's queue holds catches up in one
   * connection: every missed event once, in order, then the live ones created meanwhile. */
  async deep_resume() {
    const behind = input.behind;
    const back = await connect(input.gateway, input.viewer, { auth: { last_seq: 1 } });
    const disconnects = [];
    back.on("disconnect", (reason) => disconnects.push(reason));
    console.log("connected");
    const orderEvents = () => back.received.filter((e) => e.name.startsWith("order."));
    await waitFor(`${behind} replayed and ${input.live} live events`, () => orderEvents().length >= behind + input.live || disconnects.length > 0, 80_000);
    assert.deepEqual(disconnects, [], "the replay did not evict its own socket");
    assert.equal(back.received.filter((e) => e.name === "orders.resync").length, 0, "no resync");
    const seqs = orderEvents().map((e) => e.payload.seq);
    const replayed = Array.from({ length: behind }, (_, i) => i + 2);
    assert.deepEqual(seqs.slice(0, behind), replayed, "the missed events, each once, in order");
    const live = seqs.slice(behind);
    assert.equal(live.length, input.live, "then the live events");
    assert.ok(live.every((seq, i) => seq > behind + 1 && (i === 0 || seq > live[i - 1])), `live events in order after the replay: ${live}`);
    back.close();
  },

  /** A position the bounded history no longer covers is told to resync. */
  async resync() {
    const observer = await connect(input.gateway, input.dispatcher);
    const orders = [];
    for (let n = 1; n <= 6; n++) orders.push(await createOrder(n));
    const last = await eventFor(observer, "order.created", orders[5].id);
    const stale = await connect(input.gateway, input.viewer, { auth: { last_seq: last.payload.seq - 5 } });
    const resync = await waitFor("orders.resync", () => stale.received.find((e) => e.name === "orders.resync"));
    assert.equal(typeof resync.payload.reason, "string");
    assert.equal(stale.received.filter((e) => e.name.startsWith("order.")).length, 0);
    observer.close();
    stale.close();
  },

  /** subscribe narrows delivery to the asked statuses; an invalid filter is refused; an
   * order that leaves a socket's view is announced to it once more, so it can drop it. */
  async subscribe() {
    const pendingOnly = await connect(input.gateway, input.viewer);
    await pendingOnly.timeout(5000).emitWithAck("subscribe", { statuses: ["PENDING"] });
    const socket = await connect(input.gateway, input.dispatcher);
    const ack = await socket.timeout(5000).emitWithAck("subscribe", { statuses: ["CONFIRMED"] });
    assert.deepEqual(ack, { ok: true, statuses: ["CONFIRMED"], assignee: null });
    const bad = await socket.timeout(5000).emitWithAck("subscribe", { statuses: ["LOST"] });
    assert.equal(bad.ok, false);

    const observer = await connect(input.gateway, input.viewer);
    const order = await createOrder(1);
    await eventFor(observer, "order.created", order.id);
    const confirmed = await api("PATCH", `/api/v1/orders/${order.id}`, input.dispatcher, {
      status: "CONFIRMED",
      version: order.version,
    });
    const update = await eventFor(socket, "order.updated", order.id, confirmed.version);
    assert.equal(update.payload.order.status, "CONFIRMED");
    assert.equal(socket.received.filter((e) => e.name === "order.created").length, 0);
    await eventFor(pendingOnly, "order.created", order.id);
    const left = await eventFor(pendingOnly, "order.updated", order.id, confirmed.version);
    assert.equal(left.payload.order.status, "CONFIRMED");
    const shipped = await api("PATCH", `/api/v1/orders/${order.id}`, input.dispatcher, {
      status: "PROCESSING",
      version: confirmed.version,
    });
    await eventFor(observer, "order.updated", order.id, shipped.version);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pendingOnly.received.length, 2, "nothing after the order left the view");
    for (const s of [socket, observer, pendingOnly]) s.close();
  },

  /** A dashboard subscribes the moment it is connected (in its `connect` listener): the
   * gateway must already listen then, for every one of many sockets connecting at once. */
  async first_message() {
    const count = 500;
    const acks = await Promise.all(
      Array.from({ length: count }, () => new Promise((resolve, reject) => {
        const socket = io(input.gateway, {
          auth: { token: input.viewer },
          transports: ["websocket"],
          reconnection: false,
          extraHeaders: { origin: ORIGIN },
          forceNew: true,
        });
        socket.once("connect_error", reject);
        socket.once("connect", () => {
          socket.timeout(5000).emit("subscribe", { statuses: ["PENDING"] }, (err, ack) => {
            socket.close();
            resolve(err ? "no answer" : ack.ok);
          });
        });
      })),
    );
    const unanswered = acks.filter((ack) => ack !== true).length;
    assert.equal(unanswered, 0, `${unanswered} of ${count} first subscribes got no answer`);
  },

  /** Redis restarts (losing its data) while orders flow: every change is acknowledged, and
   * the dashboard ends with exactly the database's state. */
  async redis_restart() {
    const port = String(input.redis_port);
    const view = await board(input.gateway, input.dispatcher);
    const before = [];
    for (let n = 1; n <= 3; n++) before.push(await createOrder(n));
    await waitFor("the first orders live", () => before.every((o) => view.state.has(o.id)));

    redis(["redis-cli", "-p", port, "shutdown", "nosave"]);
    const during = [];
    for (let n = 4; n <= 6; n++) during.push(await createOrder(n));
    await api("PATCH", `/api/v1/orders/${before[1].id}`, input.dispatcher, { status: "CONFIRMED", version: 1 });
    redis(["redis-server", "--port", port, "--save", "", "--appendonly", "no", "--daemonize", "yes"]);
    for (let n = 7; n <= 8; n++) await createOrder(n);

    const expected = await truth(input.dispatcher);
    assert.equal(expected.size, 8);
    await waitFor("the board to match the database", () => same(view.state, expected));
    assert.ok(view.resyncs.length >= 1, "the board was told to resync");
    view.socket.close();
  },

  /** The gateway is killed (-9) and restarted: the dashboard reconnects by itself, resumes
   * with its last seq, and gets exactly what it missed without refetching. */
  async gateway_restart() {
    let lastSeq = 0;
    const state = new Map();
    const resyncs = [];
    let connects = 0;
    const socket = io(input.gateway, {
      auth: (cb) => cb({ token: input.dispatcher, last_seq: lastSeq }),
      transports: ["websocket"],
      extraHeaders: { origin: ORIGIN },
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
    });
    socket.on("connect", () => connects++);
    socket.on("orders.resync", (p) => resyncs.push(p.reason));
    socket.on("order.created", ({ seq, order }) => {
      lastSeq = Math.max(lastSeq, seq);
      state.set(order.id, order.version);
    });
    await waitFor("connected", () => connects === 1);
    const before = [await createOrder(1), await createOrder(2)];
    await waitFor("live orders", () => before.every((o) => state.has(o.id)));

    process.kill(input.gateway_pid, "SIGKILL");
    const missed = [];
    for (let n = 3; n <= 5; n++) {
      const response = await fetch(`${input.orders}/v1/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${input.storefront}`, "content-type": "application/json" },
        body: JSON.stringify(orderBody(n)),
      });
      assert.equal(response.status, 201);
      missed.push(await response.json());
    }
    await waitFor("reconnected", () => connects >= 2);
    await waitFor("the missed orders", () => missed.every((o) => state.has(o.id)));
    assert.equal(state.size, 5);
    assert.deepEqual(resyncs, [], "caught up by replay, not by refetching");
    socket.close();
  },

  /** SIGTERM: a request in flight still gets its answer, sockets are closed by the server. */
  async graceful_shutdown() {
    const socket = await connect(input.gateway, input.viewer);
    const reason = new Promise((resolve) => socket.once("disconnect", resolve));
    // A login whose body is still arriving when the signal comes: surely in flight.
    const body = JSON.stringify({ email: "admin@example.com", password: "correct horse battery staple" });
    let sendRest;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 20)));
        sendRest = () => {
          controller.enqueue(new TextEncoder().encode(body.slice(20)));
          controller.close();
        };
      },
    });
    const inFlight = fetch(`${input.gateway}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(input.gateway_pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    sendRest();
    const response = await inFlight;
    assert.equal(response.status, 200, "the in-flight login was answered");
    assert.equal(await reason, "io server disconnect");
  },

  /** One socket stops reading while a flood of events goes out: the others get every event,
   * the stalled one is disconnected (it would resume on reconnect). The events are published
   * by the test harness once this scenario prints READY. */
  async slow_consumer() {
    const healthy = await connect(input.gateway, input.viewer);
    const stalled = await connect(input.gateway, input.viewer);
    let stalledGone = false;
    stalled.on("disconnect", () => (stalledGone = true));
    stalled.io.engine.transport.ws._socket.pause();
    console.log("READY");
    const count = input.events;
    let healthyGone = false;
    healthy.on("disconnect", () => (healthyGone = true));
    await waitFor(
      `${count} events on the healthy socket`,
      () => {
        assert.ok(!healthyGone, `the healthy socket was dropped after ${healthy.received.length} events`);
        return healthy.received.length >= count;
      },
      60_000,
    );
    const seqs = healthy.received.map((e) => e.payload.seq);
    assert.deepEqual(seqs, Array.from({ length: count }, (_, i) => i + 1), "every event, in order");
    // Resume reading, unless the eviction already closed the connection under it (the server
    // gives up on a peer that reads nothing: on a busy machine that can come first).
    stalled.io.engine.transport.ws?._socket?.resume();
    await waitFor("the stalled socket to be dropped", () => stalledGone);
    assert.ok(stalled.received.length < count, "the stalled socket could not have had everything");
    const metrics = await (await fetch(`${input.gateway}/metrics`)).text();
    const dropped = metrics.match(/^gateway_slow_sockets_dropped_total (\d+)/m);
    assert.ok(dropped && Number(dropped[1]) === 1, `one eviction is counted: ${dropped}`);
    healthy.close();
  },

  /** Driven by the Rust test of the same name: a burst of `events` events (seq 1…) reaches
   * sockets that asked for batches partly as `orders.batch` frames, and the others as single
   * events; each socket gets every event once, in order. Two dashboards that resume from seq
   * 100 in the middle of the burst (one batching) get the replay, then the live events, with
   * no gap and no copy. */
  async batch_burst() {
    const count = input.events;
    const batching = [];
    const single = [];
    for (let n = 0; n < 12; n++) {
      batching.push(await connect(input.gateway, input.viewer, { auth: { batch: true } }));
      single.push(await connect(input.gateway, input.viewer));
    }
    const disconnects = [];
    for (const s of [...batching, ...single]) s.on("disconnect", (reason) => disconnects.push(reason));
    console.log("READY");
    await waitFor("a quarter of the burst", () => single[0].received.length >= count / 4, 30_000);
    const from = 100;
    const late = [
      await connect(input.gateway, input.viewer, { auth: { batch: true, last_seq: from } }),
      await connect(input.gateway, input.viewer, { auth: { last_seq: from } }),
    ];
    const seqs = (s) => s.received.filter((e) => e.name === "order.created").map((e) => e.payload.seq);
    const all = [...batching, ...single, ...late];
    await waitFor(
      "every event on every socket",
      () => disconnects.length > 0 || all.every((s) => seqs(s).at(-1) === count),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 300)); // a copy would arrive now
    assert.deepEqual(disconnects, [], "no socket was dropped");
    const through = (first) => Array.from({ length: count - first + 1 }, (_, i) => first + i);
    for (const s of [...batching, ...single]) assert.deepEqual(seqs(s), through(1), "every event once, in order");
    for (const s of late) assert.deepEqual(seqs(s), through(from + 1), "the replay, then live, once, in order");
    assert.ok(
      single.every((s) => s.batches.length === 0) && late[1].batches.length === 0,
      "a socket that did not ask for batches gets none",
    );
    for (const s of batching) {
      assert.ok(s.batches.some((n) => n > 1), `events that waited together came as a batch: ${s.batches}`);
    }
    for (const s of all) s.close();
  },

  /** Deactivating an account drops its open sockets at once, and its access token (still
   * unexpired) cannot open a new one. */
  async revoked() {
    const socket = await connect(input.gateway, input.viewer);
    const reason = new Promise((resolve) => socket.once("disconnect", resolve));
    await api("PATCH", `/api/v1/users/${input.viewer_id}`, input.admin, { active: false });
    assert.equal(await reason, "io server disconnect");
    assert.equal(await refusal(input.gateway, { token: input.viewer }), "unauthorized");
  },

  /** Replays and filters are bounded: a filter names each status once at most, one replay
   * runs at a time per socket, and an account gets a burst of replays and then a steady rate;
   * a reconnect past it is told to refetch. */
  async replay_bounds() {
    const observer = await connect(input.gateway, input.dispatcher);
    const orders = [];
    for (let n = 1; n <= 40; n++) orders.push(await createOrder(n));
    await eventFor(observer, "order.created", orders[39].id);
    const socket = await connect(input.gateway, input.viewer);

    const many = await socket.timeout(5000).emitWithAck("subscribe", { statuses: Array(8000).fill("PENDING") });
    assert.equal(many.ok, false);
    assert.match(many.error, /at most once/);
    const twice = await socket.timeout(5000).emitWithAck("subscribe", { statuses: ["PENDING", "PENDING"] });
    assert.equal(twice.ok, false);
    const fine = await socket.timeout(5000).emitWithAck("subscribe", { statuses: ["PENDING", "CONFIRMED"] });
    assert.equal(fine.ok, true);

    const together = await Promise.all(
      [0, 1, 2, 3].map(() => socket.timeout(5000).emitWithAck("resume", { last_seq: 0 })),
    );
    assert.ok(together.some((a) => a.ok), JSON.stringify(together));
    assert.ok(
      together.some((a) => !a.ok && /already running/.test(a.error)),
      `a second replay on one socket waits for the first: ${JSON.stringify(together)}`,
    );

    let limited;
    for (let i = 0; i < 12 && !limited; i++) {
      const ack = await socket.timeout(5000).emitWithAck("resume", { last_seq: 0 });
      if (!ack.ok) limited = ack;
    }
    assert.ok(limited, "an account's replays are limited");
    assert.match(limited.error, /too many replays/);
    assert.ok(limited.retry_after >= 1);
    const reconnect = await connect(input.gateway, input.viewer, { auth: { last_seq: 0 } });
    const told = await waitFor("orders.resync", () => reconnect.received.find((e) => e.name === "orders.resync"));
    assert.equal(told.payload.reason, "replay-limit");
    assert.equal(reconnect.received.filter((e) => e.name.startsWith("order.")).length, 0);
    for (const s of [observer, socket, reconnect]) s.close();
  },

  /** An order reassigned away from an agent reaches that agent as `order.left` (its id, version
   * and new assignee's id, nothing it may no longer read), live and on replay; the new assignee and the
   * dispatchers get the full order. */
  async reassigned_away() {
    const dispatcher = await connect(input.gateway, input.dispatcher);
    const before = await connect(input.gateway, input.agent);
    const after = await connect(input.gateway, input.agent2);
    const order = await createOrder(1);
    const mine = await api("POST", `/api/v1/orders/${order.id}/assign`, input.dispatcher, {
      assignee_id: input.agent_id,
      version: order.version,
    });
    const assigned = await eventFor(before, "order.updated", order.id, mine.version);
    const moved = await api("POST", `/api/v1/orders/${order.id}/assign`, input.dispatcher, {
      assignee_id: input.agent2_id,
      version: mine.version,
    });
    const left = await eventFor(before, "order.left", order.id, moved.version);
    assert.deepEqual(Object.keys(left.payload).sort(), ["event_id", "occurred_at", "order", "seq", "type"]);
    assert.equal(left.payload.type, "order.left");
    assert.deepEqual(left.payload.order, { id: order.id, version: moved.version, assignee_id: input.agent2_id });
    assert.equal(left.payload.seq, assigned.payload.seq + 1);
    const full = await eventFor(after, "order.updated", order.id, moved.version);
    assert.equal(full.payload.order.customer_name, "Realtime 1");
    await eventFor(dispatcher, "order.updated", order.id, moved.version);
    const leaked = before.received.filter((e) => e.name !== "order.left" && e.payload.order.assignee_id !== input.agent_id);
    assert.deepEqual(leaked, [], "the former assignee received the order after it left");

    // Replayed the same way to a socket that was away.
    const back = await connect(input.gateway, input.agent, { auth: { last_seq: assigned.payload.seq } });
    const replayed = await eventFor(back, "order.left", order.id, moved.version);
    assert.deepEqual(replayed.payload.order, { id: order.id, version: moved.version, assignee_id: input.agent2_id });
    assert.equal(back.received.filter((e) => e.name === "order.updated").length, 0);
    for (const s of [dispatcher, before, after, back]) s.close();
  },

  /** A password reset drops the sockets opened with older tokens and refuses those tokens;
   * a sign-in with the new password gets a socket that connects and stays. */
  async password_reset() {
    const socket = await connect(input.gateway, input.reset.token);
    const reason = new Promise((resolve) => socket.once("disconnect", resolve));
    await api("PATCH", `/api/v1/users/${input.reset.id}`, input.admin, { password: input.reset.new_password });
    assert.equal(await reason, "io server disconnect");
    assert.equal(await refusal(input.gateway, { token: input.reset.token }), "unauthorized");
    const signIn = await fetch(`${input.gateway}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email: input.reset.email, password: input.reset.new_password }),
    });
    assert.equal(signIn.status, 200);
    const { access_token } = await signIn.json();
    const fresh = await connect(input.gateway, access_token);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(fresh.connected, "the socket of the new session was dropped");
    fresh.close();
  },

  /** A socket is dropped once its token expires (the client then refreshes and reconnects);
   * a socket whose token lasts longer stays. */
  async expiry() {
    const shortLived = await connect(input.gateway, input.expiring.token);
    const lasting = await connect(input.gateway, input.viewer);
    const reason = await Promise.race([
      new Promise((resolve) => shortLived.once("disconnect", resolve)),
      new Promise((resolve) => setTimeout(() => resolve("still connected"), DEADLINE_MS)),
    ]);
    assert.equal(reason, "io server disconnect");
    const now = Date.now() / 1000;
    assert.ok(now >= input.expiring.exp, `dropped ${input.expiring.exp - now} s before its token expired`);
    assert.ok(lasting.connected, "a socket with a valid token was dropped too");
    lasting.close();
  },

  /** Two gateway instances behind a balancer each deliver to their own sockets. */
  async two_gateways() {
    const left = await connect(input.gateway, input.viewer);
    const right = await connect(input.second_gateway, input.viewer);
    const order = await createOrder(1);
    const a = await eventFor(left, "order.created", order.id);
    const b = await eventFor(right, "order.created", order.id);
    assert.equal(a.payload.seq, b.payload.seq);
    left.close();
    right.close();
  },
};

const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
try {
  await scenarios[name]();
  console.log(`scenario ${name}: ok`);
  process.exit(0);
} catch (err) {
  console.error(`scenario ${name} failed:`, err);
  process.exit(1);
}
