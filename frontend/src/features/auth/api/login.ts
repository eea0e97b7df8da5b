import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { LoginInput, LoginResponse } from "../types";

/** `POST /auth/login`: the refresh token arrives as an HttpOnly cookie, the access token stays in memory. */
export async function login(input: LoginInput): Promise<LoginResponse> {
  const response = await api.request<LoginResponse>("/auth/login", { method: "POST", body: input, auth: false });
  api.tokens.set(response.access_token);
  return response;
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
