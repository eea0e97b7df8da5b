import { api } from "@/lib/api";
import { isApiError } from "@/lib/problem";
import type { User } from "../types";
import { getMe } from "./get-me";

function isUser(value: unknown): value is User {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as User).id === "string" &&
    Array.isArray((value as User).permissions)
  );
}

/**
 * Silent sign-in on page load: `POST /auth/refresh` with the HttpOnly cookie, then the user.
 * Resolves null when there is no valid session (401), rejects on other failures.
 */
export async function restoreSession(): Promise<User | null> {
  try {
    const result = await api.refresh();
    return isUser(result.user) ? result.user : await getMe();
  } catch (error) {
    if (isApiError(error) && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}
