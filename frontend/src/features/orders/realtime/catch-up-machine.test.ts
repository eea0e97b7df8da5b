import { describe, expect, it } from "vitest";
import { catchUpTransition, INITIAL_CATCH_UP, type CatchUpEvent, type CatchUpState } from "./catch-up-machine";
import { connectionStateOf } from "./connection-store";
import { INITIAL_LINK, type LinkState } from "./link-machine";
import type { CatchUpPlan } from "./seq-tracker";

const NONE: CatchUpPlan = { action: "none" };
const RESUME_FROM_3: CatchUpPlan = { action: "resume", lastSeq: 3 };
const TOO_WIDE: CatchUpPlan = { action: "resync" };

function run(state: CatchUpState, ...events: CatchUpEvent[]) {
  const effects: unknown[] = [];
  for (const event of events) {
    const step = catchUpTransition(state, event);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const LINK_UP: LinkState = { ...INITIAL_LINK, phase: "connected", connectedBefore: true };
const shown = (state: CatchUpState, link: LinkState = LINK_UP) => connectionStateOf(link, state);

describe("catch-up machine", () => {
  it("a first stream subscribes, reads again what was read before it, then is live", () => {
    const subscribing = run(INITIAL_CATCH_UP, { type: "socket-up", reconnected: false, plan: "none" });
    expect(subscribing.effects).toEqual([{ type: "subscribe" }]);
    expect(shown(subscribing.state)).toBe("connecting");
    const rereading = run(subscribing.state, { type: "subscribed", ok: true, gap: NONE }, { type: "reread-started", shown: true });
    expect(rereading.effects).toEqual([{ type: "reread" }]);
    expect(shown(rereading.state)).toBe("catching-up");
    const live = run(rereading.state, { type: "reread-done", gap: NONE });
    expect(live).toEqual({ state: { ...rereading.state, stream: "up", rereadShown: false }, effects: [] });
    expect(shown(live.state)).toBe("live");
  });

  it("a reconnection shows catching-up while the handshake's replay is planned, then is live without reading again", () => {
    const subscribing = run(INITIAL_CATCH_UP, { type: "socket-up", reconnected: true, plan: "resume" }).state;
    expect(shown(subscribing)).toBe("catching-up");
    const live = run(subscribing, { type: "subscribed", ok: true, gap: NONE });
    expect(live.effects).toEqual([]);
    expect(shown(live.state)).toBe("live");
  });

  it("a refused subscribe, or a reconnection with nothing to resume from, refetches", () => {
    expect(run(INITIAL_CATCH_UP, { type: "socket-up", reconnected: false, plan: "none" }, { type: "subscribed", ok: false, gap: NONE }).effects).toEqual([
      { type: "subscribe" },
      { type: "resync" },
    ]);
    const planned = run(INITIAL_CATCH_UP, { type: "socket-up", reconnected: true, plan: "resync" }, { type: "subscribed", ok: true, gap: NONE });
    expect(planned.effects).toEqual([{ type: "subscribe" }, { type: "resync" }]);
    expect(shown(planned.state)).toBe("catching-up");
  });

  const live = run(INITIAL_CATCH_UP, { type: "socket-up", reconnected: true, plan: "none" }, { type: "subscribed", ok: true, gap: NONE }).state;

  it("a hole resumes from last_seq; a replay that closes it is live again, one that does not refetches", () => {
    const resuming = run(live, { type: "gap-seen", gap: RESUME_FROM_3 });
    expect(resuming.effects).toEqual([{ type: "resume", lastSeq: 3 }]);
    expect(shown(resuming.state)).toBe("catching-up");
    // A second hole while the replay runs waits for it.
    expect(run(resuming.state, { type: "gap-seen", gap: RESUME_FROM_3 }).effects).toEqual([]);
    expect(run(resuming.state, { type: "resumed", replayed: true, gap: NONE }).state).toEqual(live);
    expect(run(resuming.state, { type: "resumed", replayed: false, gap: NONE }).effects).toEqual([{ type: "resync" }]);
    expect(run(resuming.state, { type: "resumed", replayed: true, gap: RESUME_FROM_3 }).effects).toEqual([{ type: "resync" }]);
  });

  it("a hole wider than a replay refetches", () => {
    expect(run(live, { type: "gap-seen", gap: TOO_WIDE }).effects).toEqual([{ type: "resync" }]);
  });

  it("orders.resync during a refetch refetches once more after it; a hole left after the refetch is resumed", () => {
    const resyncing = run(live, { type: "server-resync" });
    expect(resyncing.effects).toEqual([{ type: "resync" }]);
    const askedAgain = run(resyncing.state, { type: "server-resync" });
    expect(askedAgain).toEqual({ state: { ...resyncing.state, resyncAgain: true }, effects: [] });
    const second = run(askedAgain.state, { type: "resynced", gap: NONE });
    expect(second.effects).toEqual([{ type: "resync" }]);
    expect(shown(second.state)).toBe("catching-up");
    expect(run(second.state, { type: "resynced", gap: NONE }).state).toEqual(live);
    expect(run(second.state, { type: "resynced", gap: RESUME_FROM_3 }).effects).toEqual([{ type: "resume", lastSeq: 3 }]);
  });

  it("a replay answered while a refetch runs leaves the refetch to finish, or asks for one more", () => {
    const both = run(live, { type: "gap-seen", gap: RESUME_FROM_3 }, { type: "server-resync" }).state;
    expect(both.repair).toBe("resyncing");
    expect(run(both, { type: "resumed", replayed: true, gap: NONE }).state).toEqual(both);
    expect(run(both, { type: "resumed", replayed: false, gap: NONE }).state.resyncAgain).toBe(true);
  });

  it("with the socket down nothing is resumed, a running refetch still ends, and the link decides what is shown", () => {
    const down = run(live, { type: "socket-down" }).state;
    expect(run(down, { type: "gap-seen", gap: RESUME_FROM_3 }).effects).toEqual([]);
    const resyncing = run(down, { type: "server-resync" }).state;
    expect(run(resyncing, { type: "resynced", gap: RESUME_FROM_3 })).toEqual({ state: down, effects: [] });
    expect(shown(resyncing, { ...LINK_UP, phase: "connecting" })).toBe("reconnecting");
    expect(shown(INITIAL_CATCH_UP, INITIAL_LINK)).toBe("connecting");
    expect(shown(live, { ...LINK_UP, phase: "signed-out" })).toBe("offline");
    // Late answers of a stream that went down change nothing.
    expect(run(down, { type: "subscribed", ok: true, gap: NONE }, { type: "reread-done", gap: NONE }).state).toEqual(down);
  });
});
