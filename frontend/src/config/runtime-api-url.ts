/**
 * The run-time gateway origin (`LOM_API_URL`): an http(s) origin without a trailing slash, or
 * null when unset. A bad value fails loudly rather than sending the dashboard to a wrong place.
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
