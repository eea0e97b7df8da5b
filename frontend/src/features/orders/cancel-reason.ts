/**
 * The cancellation reason as the dialog builds it: the codes in the order they are offered, and
 * the checks orders-service makes (text one line of at most 500 characters, required for
 * `other`), made before sending so the user is told next to the field; and its 422, read back
 * onto the fields.
 */
import type { MessageKey } from "@/lib/i18n/messages";
import { isApiError } from "@/lib/problem";
import type { CancelReason, CancelReasonCode } from "./types";

export const CANCEL_REASON_CODES = [
  "customer_request",
  "out_of_stock",
  "payment_failed",
  "duplicate",
  "suspected_fraud",
  "other",
] as const satisfies readonly CancelReasonCode[];

/** orders-service's limit, counted in characters (code points), as it counts them. */
export const REASON_TEXT_MAX = 500;

export function reasonTextLength(text: string): number {
  return [...text].length;
}

export type ReasonProblem =
  | { field: "code"; key: "cancel.reasonRequired" }
  | { field: "text"; key: "cancel.textMissing" | "cancel.textTooLong" | "cancel.textInvalid" };

/** The reason to send (blank text left out, the rest trimmed), or what to fix first. */
export function buildCancelReason(
  code: CancelReasonCode | null,
  text: string,
): { reason: CancelReason } | { problem: ReasonProblem } {
  if (code === null) return { problem: { field: "code", key: "cancel.reasonRequired" } };
  const trimmed = text.trim();
  if (trimmed === "") {
    return code === "other" ? { problem: { field: "text", key: "cancel.textMissing" } } : { reason: { code } };
  }
  if (reasonTextLength(trimmed) > REASON_TEXT_MAX) return { problem: { field: "text", key: "cancel.textTooLong" } };
  if (/\p{Cc}/u.test(trimmed)) return { problem: { field: "text", key: "cancel.textInvalid" } };
  return { reason: { code, text: trimmed } };
}

/**
 * A 422 from `POST …/cancel`, as something the dialog says (next to the field it names);
 * null for any other error, which ends the dialog like a failed status change.
 */
export function cancelRefusalOf(error: unknown): { field?: "code" | "text"; key: MessageKey } | null {
  if (!isApiError(error) || error.status !== 422) return null;
  const fields = error.fieldErrors.map((e) => e.field);
  if (fields.some((f) => f.startsWith("reason.text"))) return { field: "text", key: "cancel.textInvalid" };
  if (fields.some((f) => f === "reason" || f.startsWith("reason."))) return { field: "code", key: "cancel.reasonRequired" };
  return { key: "common.unexpectedError" };
}
