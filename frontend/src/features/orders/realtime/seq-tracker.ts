/**
 * Follows the gap-free `seq` of the event stream (SPEC §7): spots duplicates and gaps, and says
 * whether to catch up by `resume {last_seq}` (replay) or by refetching (`resync`).
 */

export type SeqVerdict = "apply" | "duplicate";

export type CatchUpPlan = { action: "none" } | { action: "resume"; lastSeq: number } | { action: "resync" };

export class SeqTracker {
  private last: number | null = null;
  /** Seqs seen beyond a hole, waiting for the hole to fill. */
  private readonly ahead = new Set<number>();

  /** @param maxReplay gaps wider than this are cheaper to refetch than to replay. */
  constructor(private readonly maxReplay = 5_000) {}

  /** The last seq up to which the stream is complete (what `last_seq` should say), or null. */
  get lastSeq(): number | null {
    return this.last;
  }

  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  /** The newest seq seen at all. */
  get highestSeq(): number | null {
    let highest = this.last;
    for (const seq of this.ahead) if (highest === null || seq > highest) highest = seq;
    return highest;
  }

  /**
   * Records one event's seq. Events are applied even beyond a gap (versions keep that safe);
   * only `last` waits until the hole is filled by replay.
   */
  observe(seq: number): SeqVerdict {
    if (!Number.isSafeInteger(seq) || seq < 0) return "duplicate";
    if (this.last === null) {
      this.last = seq;
      return "apply";
    }
    if (seq <= this.last || this.ahead.has(seq)) return "duplicate";
    if (seq === this.last + 1) {
      this.last = seq;
      while (this.ahead.delete(this.last + 1)) this.last += 1;
    } else {
      this.ahead.add(seq);
    }
    return "apply";
  }

  /** What to do now: after a gap was seen, or after a reconnect (`reconnected`). */
  plan(reconnected = false): CatchUpPlan {
    if (this.last === null) return reconnected ? { action: "resync" } : { action: "none" };
    if (!reconnected && !this.hasGap) return { action: "none" };
    const highest = this.highestSeq ?? this.last;
    if (highest - this.last > this.maxReplay) return { action: "resync" };
    return { action: "resume", lastSeq: this.last };
  }

  /**
   * After a full refetch that started when `upTo` was the highest seq seen, the caches reflect
   * everything up to it: continue from there, forgetting older holes. Pass the value captured
   * when the refetch started, not when it ended (a hole opened meanwhile is not covered).
   */
  markResynced(upTo: number | null = this.highestSeq): void {
    if (upTo === null) return;
    if (this.last === null || upTo > this.last) this.last = upTo;
    for (const seq of this.ahead) if (seq <= this.last) this.ahead.delete(seq);
    while (this.ahead.delete(this.last + 1)) this.last += 1;
  }

  reset(): void {
    this.last = null;
    this.ahead.clear();
  }
}
