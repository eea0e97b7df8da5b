import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_FILTERS } from "../filters";
import { orderKeys } from "../keys";
import { ids, listData, makeOrder, viewerFor } from "../test/fixtures";
import { OrderLedger } from "./ledger";
import { SeqTracker } from "./seq-tracker";
import { BATCH_MS, createEventWriter, MIN_GAP_MS } from "./event-writer";

let client: QueryClient;

function setup() {
  client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [] }));
  const sync = { ledger: new OrderLedger(), tracker: new SeqTracker(), viewer: viewerFor("11111111-1111-4111-8111-111111111111") };
  const applied: string[] = [];
  const writer = createEventWriter({ queryClient: client, sync, onApplied: (_type, order) => applied.push(order.number) });
  const listWrites = vi.spyOn(client, "setQueryData");
  const rows = () => ids(client.getQueryData(orderKeys.list(DEFAULT_FILTERS)));
  return { writer, applied, listWrites, rows };
}

/** One new order a few ms newer than the last, so the list's order is the arrival order reversed. */
let minute = 0;
const created = (number: string) => makeOrder({ number, created_at: `2026-11-26T10:${String(minute++ % 60).padStart(2, "0")}:00.000Z` });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  client?.clear();
});

describe("event writer", () => {
  it("writes a lone event after the batch window, and events of that window in the same write", () => {
    const { writer, listWrites, rows } = setup();
    writer.write("order.created", created("A"));
    vi.advanceTimersByTime(BATCH_MS / 2);
    writer.write("order.created", created("B"));
    expect(rows()).toEqual([]);
    vi.advanceTimersByTime(BATCH_MS / 2);
    expect(rows()).toEqual(["B", "A"]);
    expect(listWrites).toHaveBeenCalledTimes(1);
  });

  it("under a burst writes at most once per MIN_GAP_MS, every event of the gap in one write", () => {
    const { writer, listWrites, rows, applied } = setup();
    writer.write("order.created", created("A"));
    vi.advanceTimersByTime(BATCH_MS);
    expect(listWrites).toHaveBeenCalledTimes(1);

    // 100 events a second for a while: each 10 ms, one more.
    const numbers: string[] = [];
    for (let i = 0; i < 50; i++) {
      numbers.push(`N${i}`);
      writer.write("order.created", created(`N${i}`));
      vi.advanceTimersByTime(10);
    }
    // 500 ms of events after the first write at BATCH_MS: writes at BATCH_MS + 200 and + 400 only.
    expect(listWrites).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(MIN_GAP_MS);
    expect(listWrites).toHaveBeenCalledTimes(4);
    expect(rows()).toEqual([...numbers].reverse().concat("A"));
    expect(applied).toEqual(["A", ...numbers]);
  });

  it("writes the first event after a quiet gap after the batch window again, not a whole gap later", () => {
    const { writer, listWrites, rows } = setup();
    writer.write("order.created", created("A"));
    vi.advanceTimersByTime(BATCH_MS + MIN_GAP_MS);
    writer.write("order.created", created("B"));
    vi.advanceTimersByTime(BATCH_MS);
    expect(rows()).toEqual(["B", "A"]);
    expect(listWrites).toHaveBeenCalledTimes(2);
  });

  it("flush writes what waits at once, whatever the gap (before a refetch); close drops it", () => {
    const { writer, rows } = setup();
    writer.write("order.created", created("A"));
    vi.advanceTimersByTime(BATCH_MS);
    writer.write("order.created", created("B"));
    writer.flush();
    expect(rows()).toEqual(["B", "A"]);
    writer.write("order.created", created("C"));
    writer.close();
    vi.advanceTimersByTime(MIN_GAP_MS * 2);
    expect(rows()).toEqual(["B", "A"]);
  });
});
