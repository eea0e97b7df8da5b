"use client";

import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { isApiError, type FieldError } from "@/lib/problem";
import { useLogin } from "../api/login";
import type { User } from "../types";

/** Seconds left until a deadline, ticking once a second; `start` sets a new deadline. */
function useCountdown(): { seconds: number; start(seconds: number | null): void } {
  const [state, setState] = useState<{ until: number | null; now: number }>({ until: null, now: 0 });
  useEffect(() => {
    if (state.until === null) return;
    const timer = window.setInterval(() => setState((s) => ({ ...s, now: Date.now() })), 1000);
    return () => window.clearInterval(timer);
  }, [state.until]);
  const start = (seconds: number | null) => {
    const now = Date.now();
    setState({ until: seconds ? now + seconds * 1000 : null, now });
  };
  const seconds = state.until === null ? 0 : Math.max(0, Math.ceil((state.until - state.now) / 1000));
  return { seconds, start };
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-blue-500 focus:outline-2 focus:outline-blue-500 aria-[invalid=true]:border-red-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

export function SignInForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useI18n();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [requestId, setRequestId] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const countdown = useCountdown();
  const waitSeconds = countdown.seconds;
  const rateLimited = waitSeconds > 0;

  const fieldError = (field: string) => fieldErrors.find((e) => e.field === field)?.message;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (rateLimited || login.isPending) return;
    if (!email.trim() || !password) {
      setMessage(t("signIn.required"));
      setFieldErrors([]);
      return;
    }
    setMessage(null);
    setRequestId(undefined);
    setFieldErrors([]);
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (response) => onSignedIn(response.user),
        onError: (error) => {
          if (!isApiError(error)) {
            setMessage(t("common.unexpectedError"));
            return;
          }
          setRequestId(error.requestId);
          if (error.status === 401) {
            setMessage(t("signIn.invalidCredentials"));
          } else if (error.status === 429) {
            const seconds = error.retryAfterSeconds;
            countdown.start(seconds);
            setMessage(seconds ? null : t("signIn.rateLimitedNoDelay"));
          } else if (error.kind === "network") {
            setMessage(t("common.networkError"));
          } else if (error.fieldErrors.length > 0) {
            setFieldErrors(error.fieldErrors);
            setMessage(error.problem.detail ?? error.problem.title);
          } else {
            setMessage(error.problem.detail ?? error.problem.title);
          }
        },
      },
    );
  }

  const shownMessage = rateLimited ? t("signIn.rateLimited", { seconds: waitSeconds }) : message;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={shownMessage ? "sign-in-error" : undefined}>
      {shownMessage ? (
        <div
          id="sign-in-error"
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <p>{shownMessage}</p>
          {requestId ? <p className="mt-1 text-xs opacity-75">{t("common.requestId", { id: requestId })}</p> : null}
        </div>
      ) : null}
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          {t("signIn.email")}
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={fieldError("email") ? true : undefined}
          aria-describedby={fieldError("email") ? "email-error" : undefined}
          className={inputClass}
        />
        {fieldError("email") ? (
          <p id="email-error" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {fieldError("email")}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {t("signIn.password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={fieldError("password") ? true : undefined}
          aria-describedby={fieldError("password") ? "password-error" : undefined}
          className={inputClass}
        />
        {fieldError("password") ? (
          <p id="password-error" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {fieldError("password")}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="primary" className="w-full py-2" disabled={login.isPending || rateLimited}>
        {login.isPending ? t("signIn.submitting") : t("signIn.submit")}
      </Button>
    </form>
  );
}
