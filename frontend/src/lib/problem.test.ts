import { describe, expect, it } from "vitest";
import { ApiError, parseRetryAfter, problemFromResponse, problemKind } from "./problem";

describe("problemKind", () => {
  it("takes the last segment of a problem type URI", () => {
    expect(problemKind("https://lom.example/problems/version-conflict")).toBe("version-conflict");
    expect(problemKind("/problems/rate-limited/")).toBe("rate-limited");
    expect(problemKind("urn:problem:invalid-transition")).toBe("invalid-transition");
  });

  it("gives an empty kind for about:blank and missing types", () => {
    expect(problemKind("about:blank")).toBe("");
    expect(problemKind(undefined)).toBe("");
  });
});

describe("parseRetryAfter", () => {
  it("reads delta seconds", () => {
    expect(parseRetryAfter("30")).toBe(30);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:42 GMT", now)).toBe(42);
  });

  it("returns null for missing or garbage values", () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});

describe("problemFromResponse", () => {
  it("parses a problem+json body with field errors and extensions", async () => {
    const body = {
      type: "https://lom.example/problems/validation-failed",
      title: "Validation failed",
      status: 422,
      detail: "2 fields are invalid",
      request_id: "req-1",
      errors: [{ field: "email", message: "must be an email" }],
      current: { id: "o1" },
    };
    const error = await problemFromResponse(
      new Response(JSON.stringify(body), { status: 422, headers: { "content-type": "application/problem+json" } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.kind).toBe("validation-failed");
    expect(error.message).toBe("2 fields are invalid");
    expect(error.requestId).toBe("req-1");
    expect(error.fieldErrors).toEqual([{ field: "email", message: "must be an email" }]);
    expect(error.problem.current).toEqual({ id: "o1" });
  });

  it("reads Retry-After on 429", async () => {
    const error = await problemFromResponse(
      new Response(JSON.stringify({ type: "/problems/rate-limited", title: "Too many requests", status: 429 }), {
        status: 429,
        headers: { "retry-after": "17" },
      }),
    );
    expect(error.kind).toBe("rate-limited");
    expect(error.retryAfterSeconds).toBe(17);
  });

  it("survives a non-JSON body and keeps the request id header", async () => {
    const error = await problemFromResponse(
      new Response("<html>bad gateway</html>", {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "x-request-id": "req-9" },
      }),
    );
    expect(error.status).toBe(502);
    expect(error.problem.title).toBe("Bad Gateway");
    expect(error.requestId).toBe("req-9");
    expect(error.fieldErrors).toEqual([]);
  });
});
