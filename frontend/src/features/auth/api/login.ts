import { useMutation } from "@tanstack/react-query";
import { api, sessions } from "@/lib/api";
import type { LoginInput, LoginResponse } from "../types";

/** `POST /auth/login`: the refresh token arrives as an HttpOnly cookie, the access token stays in memory. */
export async function login(input: LoginInput): Promise<LoginResponse> {
  const response = await api.request<LoginResponse>("/auth/login", { method: "POST", body: input, auth: false });
  api.tokens.set(response.access_token);
  // The new cookie replaced the old family for every tab: let them use this token.
  sessions.publish({ access_token: response.access_token, expires_at: Date.now() + response.expires_in * 1000, user: response.user });
  return response;
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
