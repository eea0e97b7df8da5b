/**
 * Coordinates the refresh token across tabs of the same browser. The refresh cookie is shared by
 * every tab and its rotation is strict: presenting an already-rotated token revokes the whole
 * family (every tab is signed out). Two tabs refreshing at the same moment would both send the
 * same cookie, so:
 *
 * - `withLock` runs a refresh under the Web Locks API (`navigator.locks`, one holder per origin):
 *   refreshes of all tabs are serialised, and each one sends the cookie the previous one set
 *   (the browser stores `Set-Cookie` before the fetch resolves).
 * - `publish` shares each new access token on a `BroadcastChannel`; a tab that then needs a
 *   token first takes a fresh one another tab already obtained instead of rotating again.
 * - `publishSignedOut` tells the other tabs that the session was ended (their refresh would fail).
 *
 * Without `navigator.locks` (a non-secure context: plain http on a non-localhost host) refreshes
 * are serialised per tab only; two tabs can then still race.
 */

export interface SharedSession {
  access_token: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
  user?: unknown;
}

type Message = { kind: "session"; session: SharedSession } | { kind: "signed-out" };

export interface SessionChannel {
  withLock<T>(task: () => Promise<T>): Promise<T>;
  /** The newest session any tab announced (this one included), if it is still valid for `marginMs`. */
  latest(marginMs?: number): SharedSession | null;
  publish(session: SharedSession): void;
  publishSignedOut(): void;
  onSignedOut(listener: () => void): () => void;
}

const LOCK_NAME = "lom-session-refresh";
const CHANNEL_NAME = "lom-session";

export function createSessionChannel(): SessionChannel {
  let newest: SharedSession | null = null;
  const signedOutListeners = new Set<() => void>();
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL_NAME) : null;

  channel?.addEventListener("message", (event: MessageEvent<Message>) => {
    const message = event.data;
    if (message?.kind === "session" && typeof message.session?.access_token === "string") {
      if (!newest || message.session.expires_at >= newest.expires_at) newest = message.session;
    } else if (message?.kind === "signed-out") {
      newest = null;
      for (const listener of signedOutListeners) listener();
    }
  });

  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;

  return {
    withLock: (task) => (locks ? locks.request(LOCK_NAME, { mode: "exclusive" }, task) : task()),
    latest: (marginMs = 60_000) => (newest && newest.expires_at - Date.now() > marginMs ? newest : null),
    publish(session) {
      newest = session;
      channel?.postMessage({ kind: "session", session } satisfies Message);
    },
    publishSignedOut() {
      newest = null;
      channel?.postMessage({ kind: "signed-out" } satisfies Message);
    },
    onSignedOut(listener) {
      signedOutListeners.add(listener);
      return () => signedOutListeners.delete(listener);
    },
  };
}
