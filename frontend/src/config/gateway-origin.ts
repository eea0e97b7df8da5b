/**
 * Where the browser finds the gateway. An origin given explicitly wins (run time `LOM_API_URL`,
 * then build time `NEXT_PUBLIC_API_URL`); otherwise it is the page's own scheme and host name at
 * the gateway's port (run time `LOM_API_PORT`, then build time `NEXT_PUBLIC_API_PORT`). The
 * refresh cookie belongs to the gateway's host and is SameSite=Strict: a dashboard opened at
 * 127.0.0.1 or a LAN address that called `localhost` would be cross-site and lose the session on
 * reload, while the page's own host name keeps page and gateway on one site.
 */
export interface GatewayConfig {
  runtimeUrl?: string | null;
  runtimePort?: number | null;
  buildUrl?: string | null;
  buildPort: number;
}

/** The part of `window.location` that matters; absent while the server renders. */
export type PageLocation = Pick<Location, "protocol" | "hostname">;

export function gatewayOrigin(config: GatewayConfig, page: PageLocation | undefined): string {
  const explicit = config.runtimeUrl || config.buildUrl;
  if (explicit) return explicit.replace(/\/+$/, "");
  const port = config.runtimePort || config.buildPort;
  // The server renders pages but never calls the gateway: any origin does there.
  if (!page) return `http://localhost:${port}`;
  return `${page.protocol}//${page.hostname}:${port}`;
}
