/** The app's single API client: access token in memory only, refresh through the HttpOnly cookie. */
import { API_BASE } from "@/config/public-env";
import { createApiClient, memoryTokenStore } from "./api-client";
import { createSessionChannel } from "./session-channel";
import type { SessionEndReason } from "./session-end";

type Listener = (reason: SessionEndReason) => void;
const sessionExpiredListeners = new Set<Listener>();

const notifySessionExpired = (reason: SessionEndReason) => {
  for (const listener of sessionExpiredListeners) listener(reason);
};

/** Shared by the tabs of this browser: one refresh at a time, new tokens and sign-outs broadcast. */
export const sessions = createSessionChannel();

export const api = createApiClient({
  baseUrl: API_BASE,
  tokens: memoryTokenStore(),
  // The refresh was refused: the server ended the session (revoked family, expired).
  onSessionExpired: () => notifySessionExpired("session-ended"),
  sessions,
});

// Signed out in another tab: the refresh family is revoked, so this tab's session is over too.
sessions.onSignedOut(() => {
  if (api.tokens.get() === null) return;
  api.tokens.set(null);
  notifySessionExpired("signed-out-elsewhere");
});

/**
 * Ends this tab's session without asking the server (it already ended it: the socket's refresh
 * was refused). Nothing is broadcast: every tab finds out from its own refused refresh.
 */
export function endSession(reason: SessionEndReason): void {
  api.tokens.set(null);
  notifySessionExpired(reason);
}

/** Subscribe to "the session ended without this tab signing out": the user must sign in again. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}
