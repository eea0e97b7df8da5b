/**
 * The outcome of a bulk action in words: one count per kind of result, done first
 * ("18 confirmed · 2 were changed by someone else"), and which orders are finished with.
 */
import type { MessageKey } from "@/lib/i18n/messages";
import type { BulkAction, BulkOutcome, BulkResult } from "../types";

export interface OutcomePart {
  key: MessageKey;
  count: number;
}

/** How "done" is said for this action: "confirmed", "assigned", "cancelled"… */
function doneKey(action: BulkAction): MessageKey {
  switch (action.type) {
    case "assign":
      return action.assignee_id ? "bulk.done.assigned" : "bulk.done.unassigned";
    case "cancel":
      return "bulk.done.CANCELLED";
    case "status":
      return `bulk.done.${action.status}`;
  }
}

const OTHER_KEYS: Record<Exclude<BulkOutcome, "done">, MessageKey> = {
  conflict: "bulk.conflict",
  not_allowed: "bulk.notAllowed",
  not_found: "bulk.notFound",
  failed: "bulk.failed",
};

const ORDER: readonly BulkOutcome[] = ["done", "conflict", "not_allowed", "not_found", "failed"];

/** The non-zero counts, done first. */
export function summarizeOutcome(action: BulkAction, results: readonly Pick<BulkResult, "outcome">[]): OutcomePart[] {
  return ORDER.map((outcome) => ({
    key: outcome === "done" ? doneKey(action) : OTHER_KEYS[outcome],
    count: results.filter((result) => result.outcome === outcome).length,
  })).filter((part) => part.count > 0);
}

/** The ids whose change went through. */
export function doneIds(results: readonly BulkResult[]): string[] {
  return results.filter((result) => result.outcome === "done").map((result) => result.id);
}
