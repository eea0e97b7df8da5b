/**
 * The catch-up policy as a pure state machine: once a socket is up, subscribe; on a first stream
 * re-read what was read before it began; on a hole in `seq` ask for a replay (`resume`), and when
 * that cannot close it, or the server says so (`orders.resync`), refetch (`resync`). The caller
 * tells it the facts (the seq tracker's plan, the server's answers); `transition` returns the
 * next state and the effects to run, which `catch-up.ts` carries out.
 *
 * Two parts: the stream (down → subscribing → [rereading →] up, down again when the socket
 * drops) and the repair (none → resuming | resyncing → none), which may run whatever the stream.
 */
import type { CatchUpPlan } from "./seq-tracker";

export type StreamPhase = "down" | "subscribing" | "rereading" | "up";
export type RepairPhase = "none" | "resuming" | "resyncing";

export interface CatchUpState {
  readonly stream: StreamPhase;
  readonly repair: RepairPhase;
  /** While resyncing: asked again meanwhile, so refetch once more when this one ends. */
  readonly resyncAgain: boolean;
  /** The socket that is up is a reconnection (not this connection's first). */
  readonly reconnected: boolean;
  /** While subscribing: the handshake's `last_seq` asks for a replay (or there is nothing to resume from). */
  readonly planned: CatchUpPlan["action"];
  /** While rereading: a query on screen is being read again (the board shows it is catching up). */
  readonly rereadShown: boolean;
}

export type CatchUpEvent =
  | { type: "socket-up"; reconnected: boolean; plan: CatchUpPlan["action"] }
  | { type: "socket-down" }
  /** The `subscribe` ack; `gap` is the tracker's plan now. */
  | { type: "subscribed"; ok: boolean; gap: CatchUpPlan }
  | { type: "reread-started"; shown: boolean }
  | { type: "reread-done"; gap: CatchUpPlan }
  /** An event arrived and the tracker sees a hole. */
  | { type: "gap-seen"; gap: CatchUpPlan }
  /** The `resume` ack: `replayed` when the server replayed (not timed out, not "resync"). */
  | { type: "resumed"; replayed: boolean; gap: CatchUpPlan }
  /** `orders.resync`: the server cannot replay; the caller has already forgotten the position. */
  | { type: "server-resync" }
  | { type: "resynced"; gap: CatchUpPlan };

export type CatchUpEffect =
  | { type: "subscribe" }
  | { type: "reread" }
  | { type: "resume"; lastSeq: number }
  | { type: "resync" };

export const INITIAL_CATCH_UP: CatchUpState = {
  stream: "down",
  repair: "none",
  resyncAgain: false,
  reconnected: false,
  planned: "none",
  rereadShown: false,
};

type Step = { state: CatchUpState; effects: CatchUpEffect[] };

/** Refetch, or (already refetching) refetch once more afterwards: the running one may predate the loss. */
function startResync(state: CatchUpState): Step {
  if (state.repair === "resyncing") return { state: { ...state, resyncAgain: true }, effects: [] };
  return { state: { ...state, repair: "resyncing", resyncAgain: false }, effects: [{ type: "resync" }] };
}

/** With the socket up and no repair running, close a hole: replay it, or refetch when it is too wide. */
function repairGap(state: CatchUpState, gap: CatchUpPlan): Step {
  if (state.stream === "down" || state.repair !== "none" || gap.action === "none") return { state, effects: [] };
  if (gap.action === "resync") return startResync(state);
  return { state: { ...state, repair: "resuming" }, effects: [{ type: "resume", lastSeq: gap.lastSeq }] };
}

export function catchUpTransition(state: CatchUpState, event: CatchUpEvent): Step {
  switch (event.type) {
    case "socket-up":
      return {
        state: { ...state, stream: "subscribing", reconnected: event.reconnected, planned: event.plan, rereadShown: false },
        effects: [{ type: "subscribe" }],
      };
    case "socket-down":
      return { state: { ...state, stream: "down" }, effects: [] };
    case "subscribed":
      if (state.stream !== "subscribing") return { state, effects: [] };
      if (!event.ok || state.planned === "resync") return startResync({ ...state, stream: "up" });
      // Data read before the first stream began may have missed events: read it again first.
      if (!state.reconnected) return { state: { ...state, stream: "rereading" }, effects: [{ type: "reread" }] };
      return repairGap({ ...state, stream: "up" }, event.gap);
    case "reread-started":
      if (state.stream !== "rereading") return { state, effects: [] };
      return { state: { ...state, rereadShown: event.shown }, effects: [] };
    case "reread-done":
      if (state.stream !== "rereading") return { state, effects: [] };
      return repairGap({ ...state, stream: "up", rereadShown: false }, event.gap);
    case "gap-seen":
      return repairGap(state, event.gap);
    case "resumed":
      if (state.repair === "resyncing") {
        // A refetch began meanwhile; if the replay did not close the hole, refetch once more after it.
        return !event.replayed || event.gap.action !== "none" ? startResync(state) : { state, effects: [] };
      }
      if (state.repair !== "resuming") return { state, effects: [] };
      if (!event.replayed || event.gap.action !== "none") return startResync({ ...state, repair: "none" });
      return { state: { ...state, repair: "none" }, effects: [] };
    case "server-resync":
      return startResync(state);
    case "resynced":
      if (state.repair !== "resyncing") return { state, effects: [] };
      if (state.resyncAgain) return { state: { ...state, resyncAgain: false }, effects: [{ type: "resync" }] };
      return repairGap({ ...state, repair: "none" }, event.gap);
  }
}
