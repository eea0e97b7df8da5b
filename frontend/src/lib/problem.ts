/** RFC 9457 problem details, as the gateway sends them, and the typed error the client throws. */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
  /** Extension members, e.g. `current` on a version conflict. */
  [extension: string]: unknown;
}

/** The last path segment of a problem `type` URI: `.../problems/version-conflict` → `version-conflict`. */
export function problemKind(type: string | undefined): string {
  if (!type || type === "about:blank") return "";
  const trimmed = type.replace(/[/#?]+$/, "");
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("#"), trimmed.lastIndexOf(":"));
  return trimmed.slice(cut + 1);
}

/** `Retry-After` as whole seconds from now (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Last segment of `problem.type` (`version-conflict`, `rate-limited`, …); `network` when no response came. */
  readonly kind: string;
  readonly retryAfterSeconds: number | null;

  constructor(problem: Problem, retryAfterSeconds: number | null = null, kind?: string) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
    this.kind = kind ?? problemKind(problem.type);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get requestId(): string | undefined {
    return this.problem.request_id;
  }

  get fieldErrors(): FieldError[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(
      { type: "about:blank", title: "Network error", status: 0, detail: "The server could not be reached." },
      null,
      "network",
    );
    (error as { cause?: unknown }).cause = cause;
    return error;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Turns a non-2xx response into an ApiError, whatever its body looks like. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  const fallback: Problem = {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  const requestId = response.headers.get("x-request-id") ?? undefined;
  if (requestId) fallback.request_id = requestId;

  let body: unknown = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!isRecord(body)) return new ApiError(fallback, retryAfter);

  const problem: Problem = {
    ...body,
    type: typeof body.type === "string" ? body.type : fallback.type,
    title: typeof body.title === "string" ? body.title : fallback.title,
    status: typeof body.status === "number" ? body.status : response.status,
  };
  if (problem.request_id === undefined && requestId) problem.request_id = requestId;
  if (problem.errors !== undefined && !Array.isArray(problem.errors)) delete problem.errors;
  return new ApiError(problem, retryAfter);
}
