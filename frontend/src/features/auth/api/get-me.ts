import { api } from "@/lib/api";
import type { User } from "../types";

/** `GET /auth/me`. */
export function getMe(signal?: AbortSignal): Promise<User> {
  return api.request<User>("/auth/me", { signal });
}
