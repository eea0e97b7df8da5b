/**
 * The run-time choice of gateway, read when the server starts: `LOM_API_URL`, an http(s) origin
 * without a trailing slash, or `LOM_API_PORT`, the gateway's port on the page's own host; null
 * when unset. A bad value fails loudly rather than sending the dashboard to a wrong place.
 */
export function runtimeApiUrl(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`LOM_API_URL is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`LOM_API_URL must be http or https: ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
}

export function runtimeApiPort(raw: string | undefined): number | null {
  const value = raw?.trim();
  if (!value) return null;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535) {
    throw new Error(`LOM_API_PORT must be a port number (1-65535): ${JSON.stringify(value)}`);
  }
  return port;
}
