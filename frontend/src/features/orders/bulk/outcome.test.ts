import { describe, expect, it } from "vitest";
import { translate } from "@/lib/i18n/messages";
import type { BulkResult } from "../types";
import { doneIds, summarizeOutcome } from "./outcome";

const result = (id: string, outcome: BulkResult["outcome"]): BulkResult => ({ id, outcome });

describe("bulk outcome", () => {
  const results = [
    ...Array.from({ length: 18 }, (_, i) => result(`d${i}`, "done")),
    result("c1", "conflict"),
    result("n1", "not_found"),
    result("c2", "conflict"),
  ];

  it("counts each kind of result, done first, and leaves out what did not happen", () => {
    const parts = summarizeOutcome({ type: "status", status: "CONFIRMED" }, results);
    expect(parts).toEqual([
      { key: "bulk.done.CONFIRMED", count: 18 },
      { key: "bulk.conflict", count: 2 },
      { key: "bulk.notFound", count: 1 },
    ]);
    const words = parts.map((part) => translate("en", part.key, { count: part.count })).join(" · ");
    expect(words).toBe("18 confirmed · 2 were changed by someone else · 1 not found");
  });

  it("names the action that was done", () => {
    const one = [result("a", "done")];
    expect(summarizeOutcome({ type: "assign", assignee_id: "u" }, one)[0]?.key).toBe("bulk.done.assigned");
    expect(summarizeOutcome({ type: "assign", assignee_id: null }, one)[0]?.key).toBe("bulk.done.unassigned");
    expect(summarizeOutcome({ type: "cancel", reason: { code: "duplicate" } }, one)[0]?.key).toBe("bulk.done.CANCELLED");
    expect(summarizeOutcome({ type: "status", status: "SHIPPED" }, [result("x", "not_allowed")])).toEqual([
      { key: "bulk.notAllowed", count: 1 },
    ]);
  });

  it("lists the orders that are done", () => {
    expect(doneIds([result("a", "done"), result("b", "conflict"), result("c", "done")])).toEqual(["a", "c"]);
  });
});
