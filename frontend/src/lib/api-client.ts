/**
 * The one way the dashboard talks to the gateway: JSON over fetch, the bearer token added,
 * problem+json turned into ApiError, and a single shared refresh on 401 followed by one retry.
 */
import { ApiError, problemFromResponse } from "./problem";
import type { SessionChannel } from "./session-channel";

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

export function memoryTokenStore(): TokenStore {
  let token: string | null = null;
  return {
    get: () => token,
    set: (next) => {
      token = next;
    },
  };
}

export interface RefreshResult {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  user?: unknown;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Attach the bearer token and refresh on 401 (default true). */
  auth?: boolean;
}

export interface ApiClientOptions {
  baseUrl: string;
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** Called when the refresh is refused (401/403): the server ended the session. */
  onSessionExpired?: () => void;
  /** Serialises refreshes across tabs and shares their tokens (see session-channel.ts). */
  sessions?: SessionChannel;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /** A file (e.g. a CSV export) as a Blob, with the same token and refresh as `request`. */
  download(path: string, options?: RequestOptions): Promise<Blob>;
  /** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
  refresh(): Promise<RefreshResult>;
  tokens: TokenStore;
}

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions["query"]): string {
  const url = `${baseUrl}${path.startsWith("/") ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

/**
 * The refresh was answered "no" (401: no, expired, revoked or reused cookie; 403: refused), as
 * opposed to not answered (network) or failing (5xx): only then is the session over.
 */
export function isSessionRefused(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

function isAuthPath(path: string): boolean {
  return path.startsWith("/auth/");
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const { tokens } = options;
  let inFlightRefresh: Promise<RefreshResult> | null = null;

  async function send(path: string, init: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(buildUrl(options.baseUrl, path, init.query), {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        // The refresh cookie is scoped to /api/v1/auth: only those calls need credentials.
        credentials: isAuthPath(path) ? "include" : "same-origin",
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw ApiError.network(error);
    }
  }

  async function parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw await problemFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** One refresh at a time in this tab; across tabs, under the shared lock (strict rotation). */
  function refresh(): Promise<RefreshResult> {
    if (inFlightRefresh) return inFlightRefresh;
    const stale = tokens.get();
    const sessions = options.sessions;
    const rotate = async (): Promise<RefreshResult> => {
      // Another tab may have refreshed while we waited for the lock: take its token.
      const shared = sessions?.latest();
      if (shared && shared.access_token !== stale) {
        return {
          access_token: shared.access_token,
          expires_in: Math.floor((shared.expires_at - Date.now()) / 1000),
          user: shared.user,
        };
      }
      const response = await send("/auth/refresh", { method: "POST" }, null);
      const result = await parse<RefreshResult>(response);
      if (!result || typeof result.access_token !== "string") {
        throw new ApiError({ type: "about:blank", title: "Malformed refresh response", status: 502 });
      }
      sessions?.publish({
        access_token: result.access_token,
        expires_at: Date.now() + (result.expires_in ?? 0) * 1000,
        user: result.user,
      });
      return result;
    };
    inFlightRefresh = (async () => {
      try {
        const result = await (sessions ? sessions.withLock(rotate) : rotate());
        tokens.set(result.access_token);
        return result;
      } catch (error) {
        // Only a refused refresh ends the session; a gateway that is down (network, 5xx) does not.
        if (isSessionRefused(error)) tokens.set(null);
        throw error;
      } finally {
        inFlightRefresh = null;
      }
    })();
    return inFlightRefresh;
  }

  /** Sends the request; on 401, refreshes (or takes a newer token) and sends it once more. */
  async function respond(path: string, init: RequestOptions): Promise<Response> {
    const useAuth = init.auth ?? true;
    const tokenUsed = useAuth ? tokens.get() : null;
    const response = await send(path, init, tokenUsed);
    if (response.status !== 401 || !useAuth || isAuthPath(path)) return response;

    // 401: the token expired, or was issued before the account's sessions were ended (a
    // password reset refuses older tokens, newer ones work). Get a fresh token (unless another
    // caller already did meanwhile), then retry once.
    let fresh = tokens.get();
    if (!fresh || fresh === tokenUsed) {
      try {
        fresh = (await refresh()).access_token;
      } catch (error) {
        if (!isSessionRefused(error)) throw error;
        // Only a refused refresh ends the session: the server ended it.
        options.onSessionExpired?.();
        throw await problemFromResponse(response);
      }
    }
    // A fresh token refused as well is this request's error, not the end of the session (e.g. a
    // token issued within the same second as a revocation): the next request refreshes again,
    // and if the session really is over, that refresh is refused and ends it.
    return send(path, init, fresh);
  }

  async function request<T>(path: string, init: RequestOptions = {}): Promise<T> {
    return parse<T>(await respond(path, init));
  }

  async function download(path: string, init: RequestOptions = {}): Promise<Blob> {
    const response = await respond(path, { ...init, headers: { Accept: "*/*", ...init.headers } });
    if (!response.ok) throw await problemFromResponse(response);
    return response.blob();
  }

  return { request, download, refresh, tokens };
}
