"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type MouseEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { OfflineNoticeBanner } from "@/components/ui/offline-notice";
import { PreferencesMenu } from "@/components/ui/preferences-menu";
import { useAuth, useCurrentUser } from "@/features/auth/components/auth-provider";
import { AlertsMenu } from "@/features/notifications/alerts-menu";
import { useOrderAlerts } from "@/features/notifications/order-alerts";
import { ConnectionBadge } from "@/features/orders/components/connection-badge";
import { UndoToast } from "@/features/orders/components/undo-toast";
import { useOrderEvents } from "@/features/orders/hooks/use-order-events";
import { usePeople, usePersonLabel } from "@/features/orders/people";
import { canReadOrders } from "@/features/orders/permissions";
import { endSession } from "@/lib/api";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { refuseWhenOffline } from "@/lib/online";
import { hasPermission, PERMISSIONS } from "@/lib/permissions";
import { signInPath } from "@/lib/session-end";

/** The socket's refresh was refused: the server ended the session (sign-in page says so). */
const onUnauthorized = () => endSession("session-ended");

/** A page change needs the server: offline, say so and stay (never the browser's error page). */
const stayWhenOffline = (event: MouseEvent) => {
  if (refuseWhenOffline("offline.navigate")) event.preventDefault();
};

/** Owns the live connection for everything under the dashboard, and the alerts it raises. */
function LiveOrders() {
  const user = useCurrentUser();
  const onApplied = useOrderAlerts(user.id);
  useOrderEvents({ user, onUnauthorized, onApplied });
  return null;
}

/** The offer to undo the user's last status change or assignment, on every dashboard page. */
function UndoOffers() {
  const user = useCurrentUser();
  const label = usePersonLabel(usePeople(user));
  return <UndoToast nameOf={label} />;
}

function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const { signOut } = useAuth();
  return (
    <div className="flex h-screen flex-col">
      {canReadOrders(user) ? <LiveOrders /> : null}
      {canReadOrders(user) ? <UndoOffers /> : null}
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-700 dark:bg-slate-900">
        <div className="flex items-center gap-4">
          <span className="font-semibold phone:hidden">{t("app.title")}</span>
          <nav aria-label="Main">
            <Link href="/orders" onClick={stayWhenOffline} className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-300">
              {t("nav.orders")}
            </Link>
            {canReadOrders(user) ? (
              <Link href="/kpis" onClick={stayWhenOffline} className="ml-3 text-sm font-medium text-blue-700 hover:underline dark:text-blue-300">
                {t("nav.kpis")}
              </Link>
            ) : null}
            {hasPermission(user, PERMISSIONS.usersRead) ? (
              <Link href="/users" onClick={stayWhenOffline} className="ml-3 text-sm font-medium text-blue-700 hover:underline dark:text-blue-300">
                {t("nav.users")}
              </Link>
            ) : null}
            {hasPermission(user, PERMISSIONS.auditRead) ? (
              <Link href="/audit" onClick={stayWhenOffline} className="ml-3 text-sm font-medium text-blue-700 hover:underline dark:text-blue-300">
                {t("nav.audit")}
              </Link>
            ) : null}
          </nav>
          <ConnectionBadge />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <PreferencesMenu />
          {canReadOrders(user) ? <AlertsMenu /> : null}
          <span className="text-sm text-slate-600 phone:hidden dark:text-slate-300" title={user.email}>
            {user.display_name}
          </span>
          <Button variant="ghost" onClick={() => refuseWhenOffline("offline.signOut") || void signOut()}>
            {t("nav.signOut")}
          </Button>
        </div>
      </header>
      <OfflineNoticeBanner />
      <main className="relative min-h-0 flex-1 p-4">{children}</main>
    </div>
  );
}

/** Routes below are for signed-in staff only: anyone else goes to the sign-in page. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const auth = useAuth();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (auth.status !== "anonymous") return;
    const here = `${pathname}${window.location.search}`;
    router.replace(signInPath(here, auth.endReason));
  }, [auth.status, auth.endReason, pathname, router]);

  if (auth.status === "authenticated") return <Shell>{children}</Shell>;
  if (auth.status === "error") {
    return (
      <main className="mx-auto max-w-md space-y-3 p-8">
        <ErrorMessage error={null} fallback={t("common.networkError")} />
        <Button onClick={auth.retry}>{t("common.retry")}</Button>
      </main>
    );
  }
  return (
    <main className="p-8 text-sm text-slate-500" aria-busy="true">
      {t("common.loading")}
    </main>
  );
}
