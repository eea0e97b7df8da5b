#!/usr/bin/env node
// The checks of `make scale-demo` (scripts/scale-demo.sh starts the stack): dashboards
// (the official socket.io-client, reconnecting as the real dashboard does: handshake
// `auth: {token, last_seq}`) connected through the load balancer in front of three gateways.
//   1. orders created through the balancer reach every dashboard, each event once, in order;
//   2. the gateway holding the most dashboards is killed with SIGKILL, orders keep coming;
//   3. its dashboards reconnect through the balancer to another gateway, catch up by replay,
//      and every dashboard ends with every event applied exactly once and no gap. Like the
//      real dashboard (frontend/src/features/orders/realtime), a client applies each seq
//      once and drops a second delivery of one it holds; such drops are counted and printed.
// Input (environment): BALANCER, ADMIN_EMAIL, ADMIN_PASSWORD, GATEWAYS ("port=pid,...").
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(new URL("../gateway/tests/realtime/package.json", import.meta.url));
const { io } = require("socket.io-client");

const BALANCER = process.env.BALANCER;
const ORIGIN = "http://localhost:3000";
const GATEWAYS = process.env.GATEWAYS.split(",").map((pair) => {
  const [port, pid] = pair.split("=").map(Number);
  return { port, pid };
});
const DASHBOARDS = Number(process.env.SCALE_DASHBOARDS ?? 9);
const BEFORE = 10;
const DURING = 20;
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
  const response = await fetch(`${BALANCER}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function waitFor(what, predicate, deadlineMs = 20_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A dashboard as the real one connects: reconnecting with jitter, resuming with its last seq. */
function dashboard(token, index) {
  const d = { index, seqs: [], applied: new Set(), duplicates: 0, lastSeq: 0, disconnects: 0, connects: 0, resyncs: 0 };
  d.socket = io(BALANCER, {
    auth: (cb) => cb(d.lastSeq ? { token, last_seq: d.lastSeq } : { token }),
    transports: ["websocket"],
    reconnection: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
    randomizationFactor: 0.5,
    extraHeaders: { origin: ORIGIN },
    forceNew: true,
  });
  d.socket.on("connect", () => { d.connects += 1; });
  d.socket.on("disconnect", () => { d.disconnects += 1; });
  d.socket.on("orders.resync", () => { d.resyncs += 1; });
  for (const name of ["order.created", "order.updated", "order.left"]) {
    d.socket.on(name, (payload) => {
      if (d.applied.has(payload.seq)) {
        d.duplicates += 1;
        return;
      }
      d.applied.add(payload.seq);
      d.seqs.push(payload.seq);
      d.lastSeq = Math.max(d.lastSeq, payload.seq);
    });
  }
  return d;
}

/** Established connections from HAProxy to each gateway (its sockets and proxied requests). */
function connectionsPerGateway() {
  return GATEWAYS.map((g) => {
    const out = execFileSync("ss", ["-Htn", "state", "established", `( sport = :${g.port} )`]).toString();
    return { ...g, connections: out.split("\n").filter(Boolean).length };
  });
}

const orderBody = (n) => ({
  customer: { name: `Scale ${n}`, email: `scale${n}@example.com` },
  shipping_address: { line1: `${n} Sukhumvit Road`, city: "Bangkok", postal_code: "10110", country: "TH" },
  items: [{ sku: "TEA-1", name: "Tea", quantity: 1, unit_price: 120 }],
});

const dashboards = [];
try {
  const token = await step("sign in through the balancer", async () =>
    (await api("POST", "/api/v1/auth/login", null, { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD })).access_token);

  await step(`${DASHBOARDS} dashboards connect through the balancer, spread over the three gateways`, async () => {
    for (let i = 0; i < DASHBOARDS; i += 1) dashboards.push(dashboard(token, i));
    await waitFor("every dashboard connected", () => dashboards.every((d) => d.socket.connected));
    const spread = connectionsPerGateway();
    assert.ok(spread.every((g) => g.connections > 0), `connections per gateway: ${JSON.stringify(spread)}`);
  });

  const acknowledged = [];
  await step(`${BEFORE} orders through the balancer reach every dashboard, each once, in order`, async () => {
    for (let n = 1; n <= BEFORE; n += 1) acknowledged.push(await api("POST", "/api/v1/orders", token, orderBody(n)));
    await waitFor(`${BEFORE} events on every dashboard`, () => dashboards.every((d) => d.seqs.length >= BEFORE));
    const first = dashboards[0].seqs[0];
    for (const d of dashboards) {
      assert.deepEqual(d.seqs, Array.from({ length: BEFORE }, (_, i) => first + i), `dashboard ${d.index}`);
      assert.equal(d.duplicates, 0, `dashboard ${d.index} got an event twice with every gateway up`);
    }
  });

  const victim = await step("kill (SIGKILL) the gateway holding the most connections", async () => {
    const spread = connectionsPerGateway().sort((a, b) => b.connections - a.connections);
    process.kill(spread[0].pid, "SIGKILL");
    console.log(`     killed the gateway on :${spread[0].port} (${spread[0].connections} connections; others: ${spread.slice(1).map((g) => `:${g.port} ${g.connections}`).join(", ")})`);
    return spread[0];
  });

  await step(`${DURING} more orders through the balancer while its dashboards move`, async () => {
    for (let n = BEFORE + 1; n <= BEFORE + DURING; n += 1) {
      // A request that was on the killed gateway's connection fails once; retried, as a storefront would.
      let order;
      for (let attempt = 1; !order; attempt += 1) {
        try {
          order = await api("POST", "/api/v1/orders", token, orderBody(n));
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      acknowledged.push(order);
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  await step("the killed gateway's dashboards reconnected to the others", async () => {
    const moved = dashboards.filter((d) => d.disconnects > 0);
    assert.ok(moved.length > 0, "no dashboard was on the killed gateway");
    await waitFor("every dashboard connected again", () => dashboards.every((d) => d.socket.connected));
    const after = connectionsPerGateway();
    assert.equal(after.find((g) => g.port === victim.port).connections, 0, "nothing is connected to the killed gateway");
    console.log(`     ${moved.length} of ${DASHBOARDS} dashboards moved; connections now: ${after.map((g) => `:${g.port} ${g.connections}`).join(", ")}`);
  });

  await step("every dashboard applied every event exactly once, with no gap (live or by replay)", async () => {
    const total = BEFORE + DURING;
    await waitFor(`${total} events on every dashboard`, () => dashboards.every((d) => d.seqs.length >= total), 30_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now
    const first = dashboards[0].seqs[0];
    const expected = Array.from({ length: total }, (_, i) => first + i);
    for (const d of dashboards) {
      assert.equal(d.resyncs, 0, `dashboard ${d.index} was told to resync: replay should have covered it`);
      assert.deepEqual([...d.seqs].sort((a, b) => a - b), expected, `dashboard ${d.index}: every seq once`);
    }
    const dropped = dashboards.filter((d) => d.duplicates > 0);
    console.log(`     duplicate deliveries dropped by the clients: ${dropped.length ? dropped.map((d) => `dashboard ${d.index} (moved: ${d.disconnects > 0}) ${d.duplicates}`).join(", ") : "none"}`);
    const listed = await api("GET", "/api/v1/orders?limit=100", token);
    const ids = new Set(listed.items.map((o) => o.id));
    assert.ok(acknowledged.every((o) => ids.has(o.id)), "an acknowledged order is missing from the list");
    assert.equal(acknowledged.length, total);
  });
} catch {
  // The failed step has been printed.
} finally {
  for (const d of dashboards) d.socket.close();
}
console.log(`scale: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
