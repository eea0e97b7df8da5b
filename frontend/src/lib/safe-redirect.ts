/**
 * Where to go after sign-in: only a path on this site. `//evil.example`, `/\evil.example` (which
 * browsers read as `//`), absolute URLs and control characters fall back to the board.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/orders"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  return next;
}
