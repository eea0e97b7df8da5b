#!/usr/bin/env node
// The checks of `make test-compose` against a running compose stack, through its published
// ports only (the gateway's REST API and Socket.IO), with the official socket.io-client
// (gateway/tests/realtime/node_modules: make realtime-deps):
//   sign in; create an order and see its event on a Socket.IO client; assign it and see that;
//   restart the orders-service container; the order is still there, assigned, and the next
//   order's event follows on the same socket with the next seq (nothing lost, no gap); a
//   dashboard that comes back with last_seq gets exactly the events it missed.
// Input (environment): GATEWAY_URL, DASHBOARD_ORIGIN, LOM_ADMIN_EMAIL, LOM_ADMIN_PASSWORD,
// COMPOSE_CMD (JSON array: the docker compose command with its -p/-f/--env-file arguments).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(new URL("../gateway/tests/realtime/package.json", import.meta.url));
const { io } = require("socket.io-client");

const GATEWAY = process.env.GATEWAY_URL;
const ORIGIN = process.env.DASHBOARD_ORIGIN;
const COMPOSE = JSON.parse(process.env.COMPOSE_CMD);
const run = Date.now().toString(36);
let passed = 0;
let failed = 0;

async function step(name, fn) {
  const started = Date.now();
  try {
    const value = await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
    return value;
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error.message}`);
    throw error;
  }
}

async function api(method, path, token, body) {
  const response = await fetch(`${GATEWAY}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function waitFor(what, predicate, deadlineMs = 15_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function connect(token, lastSeq) {
  const socket = io(GATEWAY, {
    auth: lastSeq === undefined ? { token } : { token, last_seq: lastSeq },
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { origin: ORIGIN },
    forceNew: true,
  });
  socket.received = [];
  socket.onAny((name, payload) => socket.received.push({ name, payload }));
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

const eventOf = (socket, type, id, version) =>
  waitFor(`${type} of ${id} v${version}`, () =>
    socket.received.find((e) => e.name === type && e.payload.order?.id === id && e.payload.order.version === version));

const orderBody = (n) => ({
  customer: { name: `Compose ${run} ${n}`, email: `compose-${run}-${n}@example.com` },
  shipping_address: { line1: `${n} Silom Road`, city: "Bangkok", postal_code: "10500", country: "TH" },
  items: [{ sku: "TEA-1", name: "Tea", quantity: 2, unit_price: 350 }],
});

let socket;
try {
  const session = await step("sign in as the first admin", () =>
    api("POST", "/api/v1/auth/login", null, { email: process.env.LOM_ADMIN_EMAIL, password: process.env.LOM_ADMIN_PASSWORD }));
  const token = session.access_token;
  assert.ok(token);

  const agent = await step("create an agent account (users-service writes)", () =>
    api("POST", "/api/v1/users", token, {
      email: `agent-${run}@example.com`, display_name: `Agent ${run}`, password: `compose-${run}-passphrase`, roles: ["agent"],
    }));

  socket = await step("connect a Socket.IO client (websocket, the dashboard's origin)", () => connect(token));

  const first = await step("create an order; its order.created reaches the socket", async () => {
    const order = await api("POST", "/api/v1/orders", token, orderBody(1));
    const event = await eventOf(socket, "order.created", order.id, 1);
    assert.ok(Number.isInteger(event.payload.seq));
    return { order, seq: event.payload.seq };
  });

  const assigned = await step("assign it; its order.updated reaches the socket", async () => {
    const order = await api("POST", `/api/v1/orders/${first.order.id}/assign`, token, {
      assignee_id: agent.id, version: first.order.version,
    });
    const event = await eventOf(socket, "order.updated", order.id, order.version);
    assert.equal(event.payload.order.assignee_id, agent.id);
    assert.equal(event.payload.seq, first.seq + 1, "the next seq");
    return { order, seq: event.payload.seq };
  });

  await step("restart the orders-service container and wait until the order answers again", async () => {
    const compose = (...args) => execFileSync(COMPOSE[0], [...COMPOSE.slice(1), ...args], { stdio: "pipe" }).toString().trim();
    const id = compose("ps", "-q", "orders-service");
    const startedAt = () => execFileSync("docker", ["inspect", "--format", "{{.State.StartedAt}}", id]).toString().trim();
    const before = startedAt();
    compose("restart", "orders-service");
    assert.notEqual(startedAt(), before, "the container was not restarted");
    await waitFor("GET the order through the gateway", async () => {
      try { return await api("GET", `/api/v1/orders/${first.order.id}`, token); } catch { return null; }
    }, 90_000);
  });

  await step("nothing lost: the order is still there, assigned, at the same version", async () => {
    const order = await api("GET", `/api/v1/orders/${first.order.id}`, token);
    assert.equal(order.assignee_id, agent.id);
    assert.equal(order.version, assigned.order.version);
  });

  const second = await step("the next order's event follows on the same socket with the next seq", async () => {
    const order = await api("POST", "/api/v1/orders", token, orderBody(2));
    const event = await eventOf(socket, "order.created", order.id, 1);
    assert.equal(event.payload.seq, assigned.seq + 1, "no gap and no repeat across the restart");
    const seqs = socket.received.filter((e) => e.name.startsWith("order.")).map((e) => e.payload.seq);
    assert.deepEqual(seqs, [first.seq, first.seq + 1, first.seq + 2], "each event once, in order");
    return { order, seq: event.payload.seq };
  });

  await step("a dashboard back with last_seq gets exactly what it missed (replay)", async () => {
    const back = await connect(token, first.seq);
    try {
      await waitFor("two replayed events", () => back.received.filter((e) => e.name.startsWith("order.")).length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      const replayed = back.received.filter((e) => e.name.startsWith("order.")).map((e) => [e.name, e.payload.seq, e.payload.order.id]);
      assert.deepEqual(replayed, [
        ["order.updated", first.seq + 1, first.order.id],
        ["order.created", second.seq, second.order.id],
      ]);
    } finally {
      back.close();
    }
  });

  await step("both orders are listed through the gateway", async () => {
    const page = await api("GET", "/api/v1/orders?limit=50", token);
    const ids = new Set(page.items.map((o) => o.id));
    assert.ok(ids.has(first.order.id) && ids.has(second.order.id), `listed: ${[...ids].join(", ")}`);
  });
} catch {
  // The failed step has been printed.
} finally {
  socket?.close();
}
console.log(`compose: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
