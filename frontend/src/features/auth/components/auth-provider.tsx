"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { onSessionExpired } from "@/lib/api";
import { logout } from "../api/logout";
import { restoreSession } from "../api/restore-session";
import type { User } from "../types";

export type AuthStatus = "loading" | "authenticated" | "anonymous" | "error";

export interface AuthState {
  status: AuthStatus;
  user: User | null;
  /** Called by the sign-in form with the user from the login response. */
  signedIn(user: User): void;
  signOut(): Promise<void>;
  retry(): void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children, initialUser }: { children: ReactNode; initialUser?: User | null }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<User | null>(initialUser ?? null);
  const [status, setStatus] = useState<AuthStatus>(initialUser === undefined ? "loading" : initialUser ? "authenticated" : "anonymous");
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (initialUser !== undefined) return;
    let cancelled = false;
    restoreSession().then(
      (restored) => {
        if (cancelled) return;
        setUser(restored);
        setStatus(restored ? "authenticated" : "anonymous");
      },
      () => {
        if (!cancelled) setStatus("error");
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, initialUser]);

  useEffect(
    () =>
      onSessionExpired(() => {
        setUser(null);
        setStatus("anonymous");
        queryClient.clear();
      }),
    [queryClient],
  );

  const signedIn = useCallback((next: User) => {
    setUser(next);
    setStatus("authenticated");
  }, []);

  const signOut = useCallback(async () => {
    await logout();
    setUser(null);
    setStatus("anonymous");
    queryClient.clear();
  }, [queryClient]);

  const retry = useCallback(() => {
    setStatus("loading");
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, user, signedIn, signOut, retry }),
    [status, user, signedIn, signOut, retry],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useCurrentUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error("useCurrentUser used outside an authenticated area");
  return user;
}
