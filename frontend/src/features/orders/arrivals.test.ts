import { afterEach, describe, expect, it, vi } from "vitest";
import { nextAnchor, splitArrivals, titleWithCount, unseenCount } from "./arrivals";
import { clearUnseen, markSeen, noteArrival, unseenOrders } from "./realtime/unseen-orders";
import { makeOrder } from "./test/fixtures";

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, "0")}:00.000Z`;
// Newest first, as the board lists them.
const older = [makeOrder({ created_at: at(30) }), makeOrder({ created_at: at(20) }), makeOrder({ created_at: at(10) })];
const arrived = [makeOrder({ created_at: at(50) }), makeOrder({ created_at: at(40) })];
const numbers = (rows: { number: string }[]) => rows.map((row) => row.number);

describe("the list holds still while the user is away from the top", () => {
  it("at the top nothing is held: arrivals show at once", () => {
    const anchor = nextAnchor(null, false, older);
    expect(anchor).toBeNull();
    expect(splitArrivals([...arrived, ...older], anchor, "newest")).toEqual({ shown: [...arrived, ...older], held: [] });
  });

  it("away from the top, orders newer than the row on top when it left wait behind the pill", () => {
    const anchor = nextAnchor(null, true, older);
    expect(anchor).toEqual({ id: older[0]!.id, created_at: older[0]!.created_at, priority: "normal", status: "PENDING" });
    // Arrivals come in; the anchor stays where it was.
    expect(nextAnchor(anchor, true, [...arrived, ...older])).toBe(anchor);
    const { shown, held } = splitArrivals([...arrived, ...older], anchor, "newest");
    expect(numbers(shown)).toEqual(numbers(older));
    expect(numbers(held)).toEqual(numbers(arrived));
  });

  it("the anchor row leaving the list (another status) does not release what is held", () => {
    const anchor = nextAnchor(null, true, older);
    const { shown, held } = splitArrivals([...arrived, ...older.slice(1)], anchor, "newest");
    expect(numbers(shown)).toEqual(numbers(older.slice(1)));
    expect(held).toHaveLength(2);
  });

  it("'show' (or back at the top) releases them: the next anchor is the new top", () => {
    const rows = [...arrived, ...older];
    expect(splitArrivals(rows, nextAnchor(null, false, rows), "newest").held).toEqual([]);
    const again = nextAnchor(null, true, rows);
    expect(again?.id).toBe(arrived[0]!.id);
    expect(splitArrivals(rows, again, "newest").held).toEqual([]);
  });

  it("holds what the list's sort puts above the top row: a new high order by priority, none oldest first", () => {
    const normalTop = [makeOrder({ created_at: at(10) }), makeOrder({ created_at: at(20) })];
    const anchor = nextAnchor(null, true, normalTop);
    const urgent = makeOrder({ created_at: at(50), priority: "high" });
    const plain = makeOrder({ created_at: at(55) });
    // By priority: the high one outranks the top row and waits; the normal one joins below it.
    const byPriority = splitArrivals([urgent, ...normalTop, plain], anchor, "priority");
    expect(numbers(byPriority.held)).toEqual([urgent.number]);
    expect(numbers(byPriority.shown)).toEqual(numbers([...normalTop, plain]));
    // Oldest first: new orders join the end, nothing moves, nothing waits.
    expect(splitArrivals([...normalTop, urgent, plain], anchor, "oldest").held).toEqual([]);
    // Due first: the high one is due at 10:05, before the top row (11:10); the normal one after.
    expect(numbers(splitArrivals([urgent, ...normalTop, plain], anchor, "due").held)).toEqual([urgent.number]);
  });

  it("the top row leaving the list holds none of the rows that were below it, under any sort", () => {
    // By priority: the top high order leaves; a younger high one was below it, and stays shown.
    const [top, younger, normal] = [makeOrder({ created_at: at(40), priority: "high" }), makeOrder({ created_at: at(45), priority: "high" }), makeOrder({ created_at: at(10) })];
    const anchor = nextAnchor(null, true, [top, younger, normal]);
    expect(splitArrivals([younger, normal], anchor, "priority").held).toEqual([]);
    // Oldest first: every row below the oldest is younger than it.
    const [first, second, third] = [makeOrder({ created_at: at(10) }), makeOrder({ created_at: at(20) }), makeOrder({ created_at: at(30) })];
    expect(splitArrivals([second, third], nextAnchor(null, true, [first, second, third]), "oldest").held).toEqual([]);
  });

  it("same created_at: the id breaks the tie, as the server's keyset does", () => {
    const a = makeOrder({ id: "00000000-0000-4000-8000-00000000000a", created_at: at(5) });
    const b = makeOrder({ id: "00000000-0000-4000-8000-00000000000b", created_at: at(5) });
    const anchor = nextAnchor(null, true, [a]);
    expect(numbers(splitArrivals([b, a], anchor, "newest").held)).toEqual([b.number]);
  });
});

describe("unseen orders and the tab title", () => {
  const setVisibility = (state: DocumentVisibilityState) => vi.spyOn(document, "visibilityState", "get").mockReturnValue(state);
  afterEach(() => {
    vi.restoreAllMocks();
    clearUnseen();
  });

  it("an order arriving while the tab is hidden stays unseen until marked seen; one arriving in view does not", () => {
    setVisibility("visible");
    noteArrival("in-view");
    expect(unseenOrders.get().size).toBe(0);
    setVisibility("hidden");
    noteArrival("o1");
    noteArrival("o2");
    expect([...unseenOrders.get()]).toEqual(["o1", "o2"]);
    setVisibility("visible");
    expect(unseenOrders.get().size).toBe(2); // visible again, but not yet seen
    markSeen(["o1"]);
    expect([...unseenOrders.get()]).toEqual(["o2"]);
  });

  it("counts held and hidden-arrived orders once each, only those still in the list", () => {
    const held = [makeOrder(), makeOrder()];
    const inList = makeOrder();
    const listed = new Map([...held, inList].map((row) => [row.id, row]));
    const arrivedUnseen = new Set([held[0]!.id, inList.id, "not-in-this-list"]);
    const everything = () => true;
    expect(unseenCount(held, arrivedUnseen, listed, everything)).toBe(3);
    expect(unseenCount([], new Set(), listed, everything)).toBe(0);
  });

  it("counts only the orders the user is alerted about", () => {
    const high = makeOrder({ priority: "high" });
    const plain = makeOrder();
    const hiddenHigh = makeOrder({ priority: "high" });
    const listed = new Map([high, plain, hiddenHigh].map((row) => [row.id, row]));
    const onlyHigh = (order: { priority: string }) => order.priority === "high";
    expect(unseenCount([high, plain], new Set([hiddenHigh.id]), listed, onlyHigh)).toBe(2);
    expect(unseenCount([high, plain], new Set([hiddenHigh.id]), listed, () => false)).toBe(0);
  });

  it("puts the count in front of the title, replacing an older one, and removes it at zero", () => {
    expect(titleWithCount("Live Order Monitor", 3)).toBe("(3) Live Order Monitor");
    expect(titleWithCount("(3) Live Order Monitor", 5)).toBe("(5) Live Order Monitor");
    expect(titleWithCount("(5) Live Order Monitor", 0)).toBe("Live Order Monitor");
  });
});
