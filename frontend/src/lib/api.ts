/** The app's single API client: access token in memory only, refresh through the HttpOnly cookie. */
import { API_BASE } from "@/config/public-env";
import { createApiClient, memoryTokenStore } from "./api-client";
import { createSessionChannel } from "./session-channel";

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

const notifySessionExpired = () => {
  for (const listener of sessionExpiredListeners) listener();
};

/** Shared by the tabs of this browser: one refresh at a time, new tokens and sign-outs broadcast. */
export const sessions = createSessionChannel();

export const api = createApiClient({
  baseUrl: API_BASE,
  tokens: memoryTokenStore(),
  onSessionExpired: notifySessionExpired,
  sessions,
});

// Signed out in another tab: the refresh family is revoked, so this tab's session is over too.
sessions.onSignedOut(() => {
  if (api.tokens.get() === null) return;
  api.tokens.set(null);
  notifySessionExpired();
});

/** Subscribe to "the refresh token was refused": the user must sign in again. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}
