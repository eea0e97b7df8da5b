/**
 * Why the dashboard ended a session the person did not end themselves, carried to the sign-in
 * page as its `reason` query parameter (it survives the redirect and a reload of that page, holds
 * no secret, and is gone once the person signs in and is sent on to `next`).
 *
 * - `session-ended`: the server refused the refresh (401/403): the refresh family was revoked
 *   (password reset, account deactivated, signed out on another device, reuse detected) or the
 *   session expired.
 * - `signed-out-elsewhere`: the person signed out in another tab of this browser.
 *
 * A sign-out from this tab's own button has no reason (no message), and a refresh that cannot
 * reach the gateway (network, 5xx) is not a sign-out at all: the board keeps its data and
 * reconnects.
 */
import type { MessageKey } from "./i18n/messages";

export const SESSION_END_REASONS = ["session-ended", "signed-out-elsewhere"] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** The sign-in page's explanation for each reason. */
export const SESSION_END_MESSAGES: Record<SessionEndReason, MessageKey> = {
  "session-ended": "signIn.reason.sessionEnded",
  "signed-out-elsewhere": "signIn.reason.signedOutElsewhere",
};

/** A known reason, or null (absent, or anything else someone typed into the URL). */
export function parseSessionEndReason(value: string | null | undefined): SessionEndReason | null {
  return (SESSION_END_REASONS as readonly string[]).includes(value ?? "") ? (value as SessionEndReason) : null;
}

/** `/sign-in?next=<here>[&reason=<reason>]`. */
export function signInPath(next: string, reason: SessionEndReason | null): string {
  const params = new URLSearchParams({ next });
  if (reason) params.set("reason", reason);
  return `/sign-in?${params.toString()}`;
}

const TAB_SESSION_KEY = "lom.tab-had-session";

/**
 * Remembers, per tab (sessionStorage: a flag, never a token), that this tab holds a session, so
 * that a page load whose refresh is refused can tell "your session ended" from "you were not
 * signed in" (the gateway's 401 does not say).
 */
export function markTabSession(active: boolean): void {
  try {
    if (active) window.sessionStorage.setItem(TAB_SESSION_KEY, "1");
    else window.sessionStorage.removeItem(TAB_SESSION_KEY);
  } catch {
    // No storage (private mode, SSR): the page load then shows no reason.
  }
}

/** Whether this tab held a session before this page load (see `markTabSession`). */
export function tabHadSession(): boolean {
  try {
    return window.sessionStorage.getItem(TAB_SESSION_KEY) === "1";
  } catch {
    return false;
  }
}
