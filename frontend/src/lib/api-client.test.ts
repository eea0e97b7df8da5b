import { describe, expect, it, vi } from "vitest";
import { buildUrl, createApiClient, memoryTokenStore } from "./api-client";
import { ApiError } from "./problem";
import type { SessionChannel, SharedSession } from "./session-channel";

const BASE = "http://gw.test/api/v1";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

const unauthorized = () =>
  json(401, { type: "/problems/unauthorized", title: "Unauthorized", status: 401 });

interface Call {
  url: string;
  init: RequestInit;
}

function setup(handler: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return handler(call, calls.length - 1);
  });
  const tokens = memoryTokenStore();
  const onSessionExpired = vi.fn();
  const client = createApiClient({ baseUrl: BASE, tokens, fetch: fetchMock as typeof fetch, onSessionExpired });
  return { client, calls, tokens, onSessionExpired };
}

const authHeader = (call: Call | undefined) => (call?.init.headers as Record<string, string>)?.Authorization;

describe("buildUrl", () => {
  it("joins the base and path and drops empty query values", () => {
    expect(buildUrl(BASE, "/orders", { status: "PENDING,CONFIRMED", q: "", cursor: undefined, limit: 50 })).toBe(
      `${BASE}/orders?status=PENDING%2CCONFIRMED&limit=50`,
    );
  });
});

describe("api client", () => {
  it("adds the bearer token and parses JSON", async () => {
    const { client, calls, tokens } = setup(() => json(200, { ok: true }));
    tokens.set("t1");
    await expect(client.request("/orders")).resolves.toEqual({ ok: true });
    expect(authHeader(calls[0])).toBe("Bearer t1");
    expect(calls[0]?.init.credentials).toBe("same-origin");
  });

  it("downloads a file as a Blob, refreshing an expired token like any request, and turns a problem into ApiError", async () => {
    const csv = "\uFEFFnumber\nORD-1\n";
    const { client, calls, tokens } = setup((call, index) => {
      if (call.url.endsWith("/auth/refresh")) return json(200, { access_token: "t2" });
      if (index === 0) return unauthorized();
      if (call.url.includes("status=LOST")) return json(422, { type: "urn:lom:problem:export-too-large", title: "Too many", status: 422 });
      return new Response(csv, { status: 200, headers: { "content-type": "text/csv; charset=utf-8" } });
    });
    tokens.set("t1");
    const blob = await client.download("/orders/export", { query: { status: "PENDING" } });
    // The bytes as sent, the byte-order mark included (text() would decode it away).
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...new TextEncoder().encode(csv)]);
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/orders/export?status=PENDING`, `${BASE}/auth/refresh`, `${BASE}/orders/export?status=PENDING`]);
    expect(authHeader(calls[2])).toBe("Bearer t2");
    expect((calls[2]?.init.headers as Record<string, string>).Accept).toBe("*/*");
    await expect(client.download("/orders/export", { query: { status: "LOST" } })).rejects.toBeInstanceOf(ApiError);
  });

  it("sends JSON bodies and returns undefined for 204", async () => {
    const { client, calls } = setup(() => new Response(null, { status: 204 }));
    await expect(client.request("/orders/1", { method: "DELETE", body: { a: 1 } })).resolves.toBeUndefined();
    expect(calls[0]?.init.body).toBe('{"a":1}');
    expect((calls[0]?.init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
  });

  it("throws a typed ApiError from problem+json", async () => {
    const { client } = setup(() =>
      json(409, {
        type: "https://x/problems/version-conflict",
        title: "Conflict",
        status: 409,
        current: { id: "o1", version: 4 },
      }),
    );
    const error = await client.request("/orders/o1", { method: "PATCH", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe("version-conflict");
    expect((error as ApiError).problem.current).toEqual({ id: "o1", version: 4 });
  });

  it("maps a failed fetch to a network ApiError", async () => {
    const { client } = setup(() => {
      throw new TypeError("Failed to fetch");
    });
    const error = await client.request("/orders").catch((e: unknown) => e);
    expect((error as ApiError).kind).toBe("network");
    expect((error as ApiError).status).toBe(0);
  });

  it("refreshes once on 401 and retries the request with the new token", async () => {
    const { client, calls, tokens } = setup((call) => {
      if (call.url.endsWith("/auth/refresh")) return json(200, { access_token: "t2", token_type: "Bearer", expires_in: 900 });
      return authHeader(call) === "Bearer t2" ? json(200, { items: [] }) : unauthorized();
    });
    tokens.set("t1");
    await expect(client.request("/orders")).resolves.toEqual({ items: [] });
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/orders`, `${BASE}/auth/refresh`, `${BASE}/orders`]);
    const refreshCall = calls[1];
    expect(refreshCall?.init.method).toBe("POST");
    expect(refreshCall?.init.credentials).toBe("include");
    expect(tokens.get()).toBe("t2");
  });

  it("shares one in-flight refresh between concurrent 401s", async () => {
    let releaseRefresh: (() => void) | undefined;
    const { client, calls, tokens } = setup(async (call) => {
      if (call.url.endsWith("/auth/refresh")) {
        await new Promise<void>((resolve) => (releaseRefresh = resolve));
        return json(200, { access_token: "t2" });
      }
      return authHeader(call) === "Bearer t2" ? json(200, { url: call.url }) : unauthorized();
    });
    tokens.set("t1");
    const all = Promise.all([client.request("/a"), client.request("/b"), client.request("/c")]);
    await vi.waitFor(() => expect(releaseRefresh).toBeDefined());
    // Let the other two 401s arrive while the refresh is pending.
    await vi.waitFor(() => expect(calls.filter((c) => !c.url.endsWith("/auth/refresh"))).toHaveLength(3));
    releaseRefresh?.();
    await expect(all).resolves.toHaveLength(3);
    expect(calls.filter((c) => c.url.endsWith("/auth/refresh"))).toHaveLength(1);
  });

  it("does not refresh again when another caller already replaced the token", async () => {
    const { client, calls, tokens } = setup((call, index) => {
      if (index === 0) {
        tokens.set("t2"); // a refresh finished while this request was in flight
        return unauthorized();
      }
      return authHeader(call) === "Bearer t2" ? json(200, {}) : unauthorized();
    });
    tokens.set("t1");
    await client.request("/orders");
    expect(calls.some((c) => c.url.endsWith("/auth/refresh"))).toBe(false);
  });

  it("retries only once; a fresh token refused too fails the request but does not end the session", async () => {
    // Only a refused refresh ends the session. A fresh token can be refused for a moment (one
    // issued within the second of a password reset): the next request refreshes again.
    let refreshes = 0;
    const { client, calls, onSessionExpired, tokens } = setup((call) => {
      if (call.url.endsWith("/auth/refresh")) return json(200, { access_token: `t${(refreshes += 1) + 1}` });
      return authHeader(call) === "Bearer t3" ? json(200, { items: [] }) : unauthorized();
    });
    tokens.set("t1");
    const error = await client.request("/orders").catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/orders`, `${BASE}/auth/refresh`, `${BASE}/orders`]);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(tokens.get()).toBe("t2");

    await expect(client.request("/orders")).resolves.toEqual({ items: [] });
    expect(refreshes).toBe(2);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it("ends the session when the refresh itself is refused", async () => {
    const { client, onSessionExpired, tokens } = setup(() => unauthorized());
    tokens.set("t1");
    const error = await client.request("/orders").catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(tokens.get()).toBeNull();
  });

  it("keeps the session when the refresh cannot reach the gateway (network, 5xx)", async () => {
    const { client, onSessionExpired, tokens } = setup((call) => {
      if (call.url.endsWith("/auth/refresh")) throw new TypeError("Failed to fetch");
      return unauthorized();
    });
    tokens.set("t1");
    const error = await client.request("/orders").catch((e: unknown) => e);
    expect((error as ApiError).kind).toBe("network");
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(tokens.get()).toBe("t1");
  });

  it("never refreshes for auth endpoints (a bad login is just a 401)", async () => {
    const { client, calls } = setup(() => unauthorized());
    await expect(client.request("/auth/login", { method: "POST", body: {}, auth: false })).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
  });

  it("across tabs: one refresh under the shared lock, the other tab takes the shared token", async () => {
    // What navigator.locks + BroadcastChannel give two tabs of one browser.
    let queue: Promise<unknown> = Promise.resolve();
    let newest: SharedSession | null = null;
    const sessions: SessionChannel = {
      withLock<T>(task: () => Promise<T>) {
        const run = queue.then(task);
        queue = run.catch(() => undefined);
        return run;
      },
      latest: () => (newest && newest.expires_at - Date.now() > 60_000 ? newest : null),
      publish: (session) => {
        newest = session;
      },
      publishSignedOut: () => {
        newest = null;
      },
      onSignedOut: () => () => {},
    };
    let cookie = "r1";
    const refreshes: string[] = [];
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.endsWith("/auth/refresh")) {
        refreshes.push(cookie);
        if (cookie !== "r1") return unauthorized(); // a reused refresh token would revoke the family
        cookie = "r2";
        return json(200, { access_token: "t2", token_type: "Bearer", expires_in: 900 });
      }
      const auth = (init?.headers as Record<string, string>)?.Authorization;
      return auth === "Bearer t2" ? json(200, { ok: true }) : unauthorized();
    });
    const tab = () => {
      const tokens = memoryTokenStore();
      tokens.set("t1");
      return { tokens, client: createApiClient({ baseUrl: BASE, tokens, fetch: fetchMock as typeof fetch, sessions }) };
    };
    const a = tab();
    const b = tab();
    await expect(Promise.all([a.client.request("/orders"), b.client.request("/orders")])).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect(refreshes).toEqual(["r1"]);
    expect(a.tokens.get()).toBe("t2");
    expect(b.tokens.get()).toBe("t2");
  });
});
