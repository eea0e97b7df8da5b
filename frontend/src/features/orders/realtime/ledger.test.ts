import { describe, expect, it } from "vitest";
import { makeOrder } from "../test/fixtures";
import { OrderLedger } from "./ledger";

describe("OrderLedger", () => {
  it("keeps only the newest version", () => {
    const ledger = new OrderLedger();
    const v2 = makeOrder({ version: 2, status: "CONFIRMED" });
    expect(ledger.record(v2)).toBe(true);
    expect(ledger.record({ ...v2, version: 1, status: "PENDING" })).toBe(false);
    expect(ledger.record({ ...v2 })).toBe(false);
    expect(ledger.get(v2.id)?.status).toBe("CONFIRMED");
    expect(ledger.isStale({ id: v2.id, version: 2 })).toBe(true);
    expect(ledger.isStale({ id: v2.id, version: 3 })).toBe(false);
  });

  it("treats a deletion as final, even at the same version", () => {
    const ledger = new OrderLedger();
    const order = makeOrder({ version: 3 });
    ledger.record(order);
    expect(ledger.record(order, true)).toBe(true);
    expect(ledger.isDeleted(order.id)).toBe(true);
    expect(ledger.record({ ...order, version: 9 })).toBe(false);
    expect(ledger.isStale({ id: order.id, version: 99 })).toBe(true);
  });
});
