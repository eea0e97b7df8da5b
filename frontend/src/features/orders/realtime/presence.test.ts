// @vitest-environment node
/** Presence over a real Socket.IO server that answers like the gateway (presence.open/close, snapshot, changes). */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPresenceChange, clearPresence, linkPresence, setOpenOrder, viewersOf } from "./presence";

let http: HttpServer;
let server: Server;
let client: Socket;
let unlink: () => void;
const shown = (orderId: string) => viewersOf(orderId).join(",");
const heard: unknown[][] = [];

const until = async (what: string, ok: () => boolean) => {
  const deadline = Date.now() + 3_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeEach(async () => {
  heard.length = 0;
  http = createServer();
  server = new Server(http);
  server.on("connection", (socket) => {
    socket.emit("presence.snapshot", { orders: [{ order_id: "o1", viewers: ["u2"] }] });
    socket.on("presence.open", (payload) => heard.push(["open", payload]));
    socket.on("presence.close", () => heard.push(["close"]));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  client = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], autoConnect: false, reconnectionDelay: 50 });
  unlink = linkPresence(client);
});

afterEach(async () => {
  unlink();
  client.close();
  setOpenOrder(null);
  await server.close();
  clearPresence();
});

describe("presence", () => {
  it("announces the open order on connect, on change and again after a reconnect; closes it once", async () => {
    setOpenOrder("o1");
    client.connect();
    await until("the first open", () => heard.length === 1);
    expect(heard).toEqual([["open", { order_id: "o1" }]]);
    setOpenOrder("o2");
    setOpenOrder("o2");
    setOpenOrder(null);
    await until("open o2 and close", () => heard.length === 3);
    expect(heard.slice(1)).toEqual([["open", { order_id: "o2" }], ["close"]]);

    setOpenOrder("o3");
    await until("open o3", () => heard.length === 4);
    client.io.engine.close(); // the connection drops; the client reconnects by itself
    await until("the open again after the reconnect", () => heard.length === 5);
    expect(heard[4]).toEqual(["open", { order_id: "o3" }]);
  });

  it("keeps the snapshot and each change, ignores malformed ones, and forgets it all when the socket drops", async () => {
    client.connect();
    await until("the snapshot", () => shown("o1") === "u2");
    applyPresenceChange({ order_id: "o1", viewers: ["u2", "u3"] });
    applyPresenceChange({ order_id: "o9", viewers: "u4" });
    applyPresenceChange(null);
    expect(shown("o1")).toBe("u2,u3");
    expect(shown("o9")).toBe("");
    applyPresenceChange({ order_id: "o1", viewers: [] });
    expect(shown("o1")).toBe("");
    applyPresenceChange({ order_id: "o1", viewers: ["u5"] });
    client.io.reconnection(false);
    client.io.engine.close();
    await until("presence cleared", () => shown("o1") === "");
  });
});
