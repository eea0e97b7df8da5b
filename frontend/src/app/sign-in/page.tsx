"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect } from "react";
import { PreferencesMenu } from "@/components/ui/preferences-menu";
import { useAuth } from "@/features/auth/components/auth-provider";
import { SessionEndedNotice } from "@/features/auth/components/session-ended-notice";
import { SignInForm } from "@/features/auth/components/sign-in-form";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { parseSessionEndReason } from "@/lib/session-end";

function SignIn() {
  const { t } = useI18n();
  const auth = useAuth();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeRedirectPath(params.get("next"));
  // Set by the dashboard when it ended the session itself; signing in moves on to `next`
  // (replacing this URL), so the explanation is not shown again.
  const reason = parseSessionEndReason(params.get("reason")) ?? auth.endReason;

  useEffect(() => {
    if (auth.status === "authenticated") router.replace(next);
  }, [auth.status, next, router]);

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm space-y-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <div className="flex items-start justify-between gap-2">
          <div>
            <h1 className="text-xl font-semibold">{t("signIn.title")}</h1>
            <p className="text-sm text-slate-500 dark:text-slate-400">
              {t("app.title")} · {t("signIn.subtitle")}
            </p>
          </div>
        </div>
        <SessionEndedNotice reason={auth.status === "authenticated" ? null : reason} />
        <SignInForm onSignedIn={auth.signedIn} />
        <PreferencesMenu />
      </div>
    </main>
  );
}

export default function SignInPage() {
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  );
}
