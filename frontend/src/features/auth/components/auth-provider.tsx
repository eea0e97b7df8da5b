"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { onSessionExpired } from "@/lib/api";
import { markTabSession, tabHadSession, type SessionEndReason } from "@/lib/session-end";
import { logout } from "../api/logout";
import { restoreSession } from "../api/restore-session";
import type { User } from "../types";

export type AuthStatus = "loading" | "authenticated" | "anonymous" | "error";

export interface AuthState {
  status: AuthStatus;
  user: User | null;
  /**
   * Why the last session ended when the person did not sign out here (shown on the sign-in
   * page); null after a sign-out from this tab and after a sign-in.
   */
  endReason: SessionEndReason | null;
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
  const [endReason, setEndReason] = useState<SessionEndReason | null>(null);
  // Set while this tab signs out: a refresh refused meanwhile (the family is being revoked)
  // is that sign-out, not a session the server ended.
  const signingOut = useRef(false);

  useEffect(() => {
    if (initialUser !== undefined) return;
    let cancelled = false;
    restoreSession().then(
      (restored) => {
        if (cancelled) return;
        // Refused although this tab was signed in before the load: the session ended meanwhile.
        if (!restored && tabHadSession()) setEndReason("session-ended");
        markTabSession(restored !== null);
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
      onSessionExpired((reason) => {
        if (signingOut.current) return;
        markTabSession(false);
        setEndReason(reason);
        setUser(null);
        setStatus("anonymous");
        queryClient.clear();
      }),
    [queryClient],
  );

  const signedIn = useCallback((next: User) => {
    signingOut.current = false;
    markTabSession(true);
    setEndReason(null);
    setUser(next);
    setStatus("authenticated");
  }, []);

  const signOut = useCallback(async () => {
    signingOut.current = true;
    markTabSession(false);
    await logout();
    setEndReason(null);
    setUser(null);
    setStatus("anonymous");
    queryClient.clear();
  }, [queryClient]);

  const retry = useCallback(() => {
    setStatus("loading");
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, user, endReason, signedIn, signOut, retry }),
    [status, user, endReason, signedIn, signOut, retry],
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
