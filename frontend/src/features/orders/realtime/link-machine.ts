/**
 * The socket's link to the gateway as a pure state machine: whether it is up, and what to do
 * about a refused handshake or a dropped socket (refresh the token, wait, connect again). No
 * socket, timer or token here: `transition` returns the next state and the effects to run,
 * which `socket-transport.ts` carries out. Only a refused refresh ends the session.
 *
 *   connecting ──connected──▶ connected ──dropped──▶ connecting (Socket.IO retries by itself)
 *        │                        └──dropped by the server──▶ refreshing
 *        ├──refused: unauthorized──▶ refreshing, or waiting (a just-refreshed token was refused too)
 *        └──refused, Socket.IO gave up──▶ waiting ──timer──▶ connecting
 *   refreshing ──refreshed──▶ connecting · ──refresh failed──▶ waiting ──timer──▶ refreshing
 *              └──refresh refused──▶ signed-out (final)
 *   any ──close──▶ closed (final)
 */

export type LinkPhase = "connecting" | "connected" | "refreshing" | "waiting" | "signed-out" | "closed";

export interface LinkState {
  readonly phase: LinkPhase;
  /** A socket of this connection has been up before: a drop means reconnecting. */
  readonly connectedBefore: boolean;
  /** Token refreshes since the socket was last up: a refusal after one means a fresh token was refused. */
  readonly refreshes: number;
  /** Refreshes in a row that failed without an answer (gateway down): the backoff's step. */
  readonly failures: number;
  /** While `waiting`: what the timer leads to. */
  readonly next?: "refresh" | "connect";
}

export type LinkEvent =
  | { type: "connected" }
  /** The socket closed; `byServer`: the gateway closed it (Socket.IO will not retry by itself). */
  | { type: "dropped"; byServer: boolean }
  /** The handshake failed; `unauthorized` is the gateway's refusal of the token. */
  | { type: "refused"; unauthorized: boolean; socketRetries: boolean }
  | { type: "refreshed" }
  /** The refresh was answered "no": the session is over. */
  | { type: "refresh-refused" }
  /** The refresh got no answer (network, 5xx): the session is not over. */
  | { type: "refresh-failed" }
  | { type: "timer" }
  | { type: "close" };

export type LinkEffect =
  | { type: "refresh" }
  | { type: "connect" }
  /** Start the timer: a delay drawn between `minMs` and `maxMs` (jitter), then a `timer` event. */
  | { type: "wait"; minMs: number; maxMs: number }
  | { type: "cancel-timer" }
  | { type: "end-session" };

export interface LinkTiming {
  /** First wait before refreshing again when a just-refreshed token was refused too (doubling, ≤ 30 s). */
  refusedFreshTokenDelayMs: number;
}

export const INITIAL_LINK: LinkState = { phase: "connecting", connectedBefore: false, refreshes: 0, failures: 0 };

/** A backoff step: between half and all of `base · 2^step` (step capped at 5), at most `capMs`. */
function backoff(baseMs: number, step: number, capMs: number): { minMs: number; maxMs: number } {
  const maxMs = Math.min(capMs, baseMs * 2 ** Math.min(step, 5));
  return { minMs: maxMs / 2, maxMs };
}

export function linkTransition(
  state: LinkState,
  event: LinkEvent,
  timing: LinkTiming,
): { state: LinkState; effects: LinkEffect[] } {
  const stay = { state, effects: [] as LinkEffect[] };
  if (state.phase === "closed") return stay;
  if (event.type === "close") return { state: { ...state, phase: "closed", next: undefined }, effects: [{ type: "cancel-timer" }] };
  if (state.phase === "signed-out") return stay;

  const to = (phase: LinkPhase, changes: Partial<LinkState> = {}): LinkState => ({ ...state, next: undefined, ...changes, phase });
  switch (event.type) {
    case "connected":
      return { state: to("connected", { connectedBefore: true, refreshes: 0 }), effects: [] };
    case "dropped":
      return event.byServer
        ? { state: to("refreshing"), effects: [{ type: "cancel-timer" }, { type: "refresh" }] }
        : { state: to("connecting"), effects: [] };
    case "refused":
      if (event.unauthorized) {
        // The token expired, or predates the account's sessions being ended (password reset):
        // a fresh one fixes that, and if the session itself is over the refresh says so.
        if (state.refreshes === 0) return { state: to("refreshing"), effects: [{ type: "cancel-timer" }, { type: "refresh" }] };
        // A token refreshed just now was refused too (issued within the second of a revocation,
        // or the gateway lagging): not a reason to sign out. Wait, then refresh again.
        const delay = backoff(timing.refusedFreshTokenDelayMs, state.refreshes - 1, 30_000);
        return { state: to("waiting", { next: "refresh" }), effects: [{ type: "cancel-timer" }, { type: "wait", ...delay }] };
      }
      if (!event.socketRetries) {
        return { state: to("waiting", { next: "connect" }), effects: [{ type: "wait", minMs: 2_000, maxMs: 5_000 }] };
      }
      return { state: to("connecting"), effects: [] };
    case "refreshed":
      if (state.phase !== "refreshing") return stay;
      return { state: to("connecting", { refreshes: state.refreshes + 1, failures: 0 }), effects: [{ type: "connect" }] };
    case "refresh-refused":
      if (state.phase !== "refreshing") return stay;
      return { state: to("signed-out"), effects: [{ type: "end-session" }] };
    case "refresh-failed": {
      if (state.phase !== "refreshing") return stay;
      // The gateway is down or failing (e.g. it closed our socket while shutting down): keep trying.
      const failures = state.failures + 1;
      const delay = backoff(500, failures, 10_000);
      return { state: to("waiting", { next: "refresh", failures }), effects: [{ type: "wait", ...delay }] };
    }
    case "timer":
      if (state.phase !== "waiting") return stay;
      return state.next === "connect"
        ? { state: to("connecting"), effects: [{ type: "connect" }] }
        : { state: to("refreshing"), effects: [{ type: "refresh" }] };
  }
}
