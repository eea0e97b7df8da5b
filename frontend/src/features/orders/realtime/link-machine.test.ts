import { describe, expect, it } from "vitest";
import { INITIAL_LINK, linkTransition, type LinkEvent, type LinkState } from "./link-machine";

const timing = { refusedFreshTokenDelayMs: 1_000 };

/** Runs events from `state`, returning the final state and every effect in order. */
function run(state: LinkState, ...events: LinkEvent[]) {
  const effects: unknown[] = [];
  for (const event of events) {
    const step = linkTransition(state, event, timing);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const up = run(INITIAL_LINK, { type: "connected" }).state;

describe("link machine", () => {
  it("starts connecting; once up, a drop means reconnecting and Socket.IO retries by itself", () => {
    expect(INITIAL_LINK).toMatchObject({ phase: "connecting", connectedBefore: false });
    expect(up).toMatchObject({ phase: "connected", connectedBefore: true, refreshes: 0 });
    expect(run(up, { type: "dropped", byServer: false })).toEqual({ state: { ...up, phase: "connecting" }, effects: [] });
  });

  it("a socket the server closed (token expiry) refreshes the token, then connects", () => {
    const { state, effects } = run(up, { type: "dropped", byServer: true }, { type: "refreshed" });
    expect(effects).toEqual([{ type: "cancel-timer" }, { type: "refresh" }, { type: "connect" }]);
    expect(state).toMatchObject({ phase: "connecting", refreshes: 1 });
    expect(run(state, { type: "connected" }).state).toMatchObject({ phase: "connected", refreshes: 0 });
  });

  it("an unauthorized handshake refreshes at once; refused again right after a refresh, it waits with a doubling delay", () => {
    const first = run(INITIAL_LINK, { type: "refused", unauthorized: true, socketRetries: false }, { type: "refreshed" });
    expect(first.effects).toEqual([{ type: "cancel-timer" }, { type: "refresh" }, { type: "connect" }]);
    const second = run(first.state, { type: "refused", unauthorized: true, socketRetries: false });
    expect(second.state).toMatchObject({ phase: "waiting", next: "refresh" });
    expect(second.effects).toEqual([{ type: "cancel-timer" }, { type: "wait", minMs: 500, maxMs: 1_000 }]);
    const third = run(second.state, { type: "timer" }, { type: "refreshed" }, { type: "refused", unauthorized: true, socketRetries: false });
    expect(third.effects.at(-1)).toEqual({ type: "wait", minMs: 1_000, maxMs: 2_000 });
    let many = third.state;
    for (let i = 0; i < 10; i++) many = run(many, { type: "timer" }, { type: "refreshed" }, { type: "refused", unauthorized: true, socketRetries: false }).state;
    expect(linkTransition({ ...many, phase: "connecting" }, { type: "refused", unauthorized: true, socketRetries: false }, timing).effects.at(-1)).toEqual({
      type: "wait",
      minMs: 15_000,
      maxMs: 30_000,
    });
  });

  it("only a refused refresh ends the session; a failed one retries with backoff, keeping the session", () => {
    const refreshing = run(up, { type: "dropped", byServer: true }).state;
    const failed = run(refreshing, { type: "refresh-failed" });
    expect(failed.state).toMatchObject({ phase: "waiting", next: "refresh", failures: 1 });
    expect(failed.effects).toEqual([{ type: "wait", minMs: 500, maxMs: 1_000 }]);
    const again = run(failed.state, { type: "timer" }, { type: "refresh-failed" });
    expect(again.effects).toEqual([{ type: "refresh" }, { type: "wait", minMs: 1_000, maxMs: 2_000 }]);
    expect(run(again.state, { type: "timer" }, { type: "refreshed" }).state).toMatchObject({ phase: "connecting", failures: 0 });

    const ended = run(refreshing, { type: "refresh-refused" });
    expect(ended).toEqual({ state: { ...refreshing, phase: "signed-out" }, effects: [{ type: "end-session" }] });
    expect(run(ended.state, { type: "connected" }, { type: "refused", unauthorized: true, socketRetries: false }).state.phase).toBe("signed-out");
  });

  it("a handshake failure Socket.IO gave up on is retried after 2–5 s; one it retries is left to it", () => {
    const gaveUp = run(INITIAL_LINK, { type: "refused", unauthorized: false, socketRetries: false });
    expect(gaveUp.state).toMatchObject({ phase: "waiting", next: "connect" });
    expect(gaveUp.effects).toEqual([{ type: "wait", minMs: 2_000, maxMs: 5_000 }]);
    expect(run(gaveUp.state, { type: "timer" }).effects).toEqual([{ type: "connect" }]);
    expect(run(INITIAL_LINK, { type: "refused", unauthorized: false, socketRetries: true })).toEqual({ state: INITIAL_LINK, effects: [] });
  });

  it("answers that come late change nothing: a refresh result outside refreshing, a timer outside waiting, anything once closed", () => {
    expect(run(up, { type: "refreshed" }, { type: "refresh-refused" }, { type: "timer" })).toEqual({ state: up, effects: [] });
    const closed = run(up, { type: "close" });
    expect(closed.effects).toEqual([{ type: "cancel-timer" }]);
    expect(run(closed.state, { type: "connected" }, { type: "dropped", byServer: true }).state.phase).toBe("closed");
  });
});
