import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/problem";
import { buildCancelReason, cancelRefusalOf } from "./cancel-reason";

describe("the cancellation reason as sent", () => {
  it("needs a code; text is optional except for 'other', blank text is left out, the rest trimmed", () => {
    expect(buildCancelReason(null, "x")).toEqual({ problem: { field: "code", key: "cancel.reasonRequired" } });
    expect(buildCancelReason("duplicate", "  ")).toEqual({ reason: { code: "duplicate" } });
    expect(buildCancelReason("other", " \t ")).toEqual({ problem: { field: "text", key: "cancel.textMissing" } });
    expect(buildCancelReason("other", "  moved away ")).toEqual({ reason: { code: "other", text: "moved away" } });
  });

  it("counts characters as orders-service does (code points), at most 500, one line", () => {
    expect(buildCancelReason("other", "😀".repeat(500))).toEqual({ reason: { code: "other", text: "😀".repeat(500) } });
    expect(buildCancelReason("other", "ก".repeat(501))).toEqual({ problem: { field: "text", key: "cancel.textTooLong" } });
    expect(buildCancelReason("other", "two\nlines")).toEqual({ problem: { field: "text", key: "cancel.textInvalid" } });
  });
});

describe("a refused cancellation", () => {
  const problem = (status: number, errors?: Array<{ field: string; message: string }>) =>
    new ApiError({ type: "urn:lom:problem:validation-failed", title: "Invalid", status, errors });

  it("names the field a 422 names, and leaves other errors to the board's handling", () => {
    expect(cancelRefusalOf(problem(422, [{ field: "reason.text", message: "too long" }]))).toEqual({ field: "text", key: "cancel.textInvalid" });
    expect(cancelRefusalOf(problem(422, [{ field: "reason.code", message: "unknown" }]))).toEqual({ field: "code", key: "cancel.reasonRequired" });
    expect(cancelRefusalOf(problem(422, [{ field: "version", message: "not a number" }]))).toEqual({ key: "common.unexpectedError" });
    expect(cancelRefusalOf(problem(409))).toBeNull();
    expect(cancelRefusalOf(new Error("boom"))).toBeNull();
  });
});
