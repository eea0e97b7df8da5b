import { api, sessions } from "@/lib/api";

/** `POST /auth/logout`: revokes the refresh family and clears the cookie. Never throws. */
export async function logout(): Promise<void> {
  try {
    await api.request<void>("/auth/logout", { method: "POST" });
  } catch {
    // Signing out locally must work even if the server is unreachable.
  } finally {
    api.tokens.set(null);
    sessions.publishSignedOut();
  }
}
