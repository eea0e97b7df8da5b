/** The app's single API client: access token in memory only, refresh through the HttpOnly cookie. */
import { API_BASE } from "@/config/public-env";
import { createApiClient, memoryTokenStore } from "./api-client";

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

export const api = createApiClient({
  baseUrl: API_BASE,
  tokens: memoryTokenStore(),
  onSessionExpired: () => {
    for (const listener of sessionExpiredListeners) listener();
  },
});

/** Subscribe to "the refresh token was refused": the user must sign in again. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}
