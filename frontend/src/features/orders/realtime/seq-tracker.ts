/**
 * Follows the stream position `seq` (SPEC §7) for one socket: spots duplicates and, where it
 * means something, holes; says whether to catch up by `resume {last_seq}` (replay) or by
 * refetching (`resync`).
 *
 * `seq` is global: a socket only receives the events it may see. A jump is therefore a loss only
 * for a socket that receives every event — one that is unfiltered AND whose user reads every
 * order (`orders:read`): the tracker is then `complete`. For an agent or a filtered socket jumps
 * are normal (the skipped events were for others) and never trigger a resume; such a socket
 * relies on the server's promise that a live socket never silently loses an event (a socket that
 * cannot keep up is disconnected) and on `last_seq` in the handshake at every reconnect.
 */

export type SeqVerdict = "apply" | "duplicate";

export type CatchUpPlan = { action: "none" } | { action: "resume"; lastSeq: number } | { action: "resync" };

export class SeqTracker {
  private last: number | null = null;
  /** Seqs seen beyond a hole, waiting for the hole to fill (complete streams only). */
  private readonly ahead = new Set<number>();
  private expectEvery = false;

  /** @param maxReplay gaps wider than this are cheaper to refetch than to replay. */
  constructor(private readonly maxReplay = 5_000) {}

  /**
   * Whether this socket receives every event of the stream (unfiltered, read scope "all").
   * Switching to sparse forgets holes: they were never losses.
   */
  setComplete(complete: boolean): void {
    this.expectEvery = complete;
    if (!complete) this.markResynced();
  }

  get complete(): boolean {
    return this.expectEvery;
  }

  /** The seq up to which this socket has everything it may see (what `last_seq` should say), or null. */
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
    if (seq === this.last + 1 || !this.expectEvery) {
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
   * The caches reflect everything up to `upTo`: after a full refetch that started when `upTo`
   * was the highest seq seen (pass the value captured when it started, not when it ended: a hole
   * opened meanwhile is not covered), or after a replay acknowledged up to `upTo`.
   * Continues from there, forgetting older holes.
   */
  markResynced(upTo: number | null = this.highestSeq): void {
    if (upTo === null) return;
    if (this.last === null || upTo > this.last) this.last = upTo;
    for (const seq of this.ahead) if (seq <= this.last) this.ahead.delete(seq);
    while (this.ahead.delete(this.last + 1)) this.last += 1;
  }

  /** Forgets the position (signed out, or the server said the stream restarted). */
  reset(): void {
    this.last = null;
    this.ahead.clear();
  }
}
