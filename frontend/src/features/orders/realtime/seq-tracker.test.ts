import { describe, expect, it } from "vitest";
import { SeqTracker } from "./seq-tracker";

function complete(maxReplay?: number): SeqTracker {
  const t = new SeqTracker(maxReplay);
  t.setComplete(true);
  return t;
}

describe("SeqTracker (complete stream: unfiltered socket of a user who reads every order)", () => {
  it("takes the first seq as the starting point and applies consecutive ones", () => {
    const t = complete();
    expect(t.observe(41)).toBe("apply");
    expect(t.observe(42)).toBe("apply");
    expect(t.lastSeq).toBe(42);
    expect(t.hasGap).toBe(false);
    expect(t.plan()).toEqual({ action: "none" });
  });

  it("flags duplicates and replays of old seqs", () => {
    const t = complete();
    t.observe(1);
    t.observe(2);
    expect(t.observe(2)).toBe("duplicate");
    expect(t.observe(1)).toBe("duplicate");
  });

  it("detects a gap, keeps last_seq before it and plans a resume", () => {
    const t = complete();
    t.observe(10);
    expect(t.observe(13)).toBe("apply");
    expect(t.hasGap).toBe(true);
    expect(t.lastSeq).toBe(10);
    expect(t.plan()).toEqual({ action: "resume", lastSeq: 10 });
  });

  it("closes the gap when the replay fills it, in any order", () => {
    const t = complete();
    t.observe(10);
    t.observe(13);
    t.observe(14);
    expect(t.observe(12)).toBe("apply");
    expect(t.lastSeq).toBe(10);
    expect(t.observe(11)).toBe("apply");
    expect(t.lastSeq).toBe(14);
    expect(t.hasGap).toBe(false);
    expect(t.observe(13)).toBe("duplicate");
  });

  it("plans a resync when the gap is wider than a replay is worth", () => {
    const t = complete(100);
    t.observe(1);
    t.observe(500);
    expect(t.plan()).toEqual({ action: "resync" });
  });

  it("on reconnect resumes from the last complete seq, or resyncs when it never had one", () => {
    const fresh = complete();
    expect(fresh.plan(true)).toEqual({ action: "resync" });
    const t = complete();
    t.observe(7);
    expect(t.plan(true)).toEqual({ action: "resume", lastSeq: 7 });
  });

  it("after a resync continues from the seq captured when the refetch started", () => {
    const t = complete();
    t.observe(1);
    t.observe(5);
    const mark = t.highestSeq;
    t.observe(8); // arrived during the refetch, with a new hole (6, 7)
    t.markResynced(mark);
    expect(t.lastSeq).toBe(5);
    expect(t.hasGap).toBe(true);
    expect(t.plan()).toEqual({ action: "resume", lastSeq: 5 });
    t.observe(6);
    t.observe(7);
    expect(t.lastSeq).toBe(8);
  });

  it("ignores malformed seqs", () => {
    const t = complete();
    expect(t.observe(Number.NaN)).toBe("duplicate");
    expect(t.observe(-1)).toBe("duplicate");
    expect(t.lastSeq).toBeNull();
  });
});

describe("SeqTracker (sparse stream: agent or filtered socket)", () => {
  it("treats a jump as normal: no hole, no resume, last_seq follows the newest seq", () => {
    const t = new SeqTracker();
    t.observe(3);
    expect(t.observe(17)).toBe("apply");
    expect(t.observe(40)).toBe("apply");
    expect(t.hasGap).toBe(false);
    expect(t.lastSeq).toBe(40);
    expect(t.plan()).toEqual({ action: "none" });
    expect(t.observe(17)).toBe("duplicate");
  });

  it("still resumes from the newest seq on reconnect (the handshake carries it)", () => {
    const t = new SeqTracker();
    t.observe(3);
    t.observe(90);
    expect(t.plan(true)).toEqual({ action: "resume", lastSeq: 90 });
  });

  it("forgets holes seen while complete when it becomes sparse", () => {
    const t = complete();
    t.observe(1);
    t.observe(5);
    expect(t.hasGap).toBe(true);
    t.setComplete(false);
    expect(t.hasGap).toBe(false);
    expect(t.lastSeq).toBe(5);
  });

  it("starts over after a reset (the stream restarted: seq went back to 1)", () => {
    const t = complete();
    t.observe(500);
    t.reset();
    expect(t.observe(1)).toBe("apply");
    expect(t.lastSeq).toBe(1);
  });
});
