"use client";

import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useRoles, useUsers } from "../api/users";
import { NewUserForm } from "./new-user-form";
import { UsersTable } from "./users-table";

/** Accounts: listed for `users:read`; created, re-roled and (de)activated with `users:manage`. */
export function UsersPage({ actor }: { actor: Actor }) {
  const { t } = useI18n();
  const canRead = hasPermission(actor, PERMISSIONS.usersRead);
  const canManage = hasPermission(actor, PERMISSIONS.usersManage);
  if (!canRead) {
    return (
      <div role="alert" className="text-sm text-slate-600 dark:text-slate-300">
        {t("users.forbidden")}
      </div>
    );
  }
  return <UsersContent actor={actor} canManage={canManage} />;
}

function UsersContent({ actor, canManage }: { actor: Actor; canManage: boolean }) {
  const { t } = useI18n();
  const users = useUsers();
  const roles = useRoles();
  return (
    <div className="mx-auto flex h-full max-w-6xl flex-col gap-4 overflow-auto">
      <h1 className="text-lg font-semibold">{t("users.title")}</h1>
      {canManage ? null : <p className="text-sm text-slate-500">{t("users.readOnly")}</p>}
      {canManage && roles.data ? <NewUserForm roles={roles.data} /> : null}
      {users.error ? <ErrorMessage error={users.error} /> : null}
      {roles.error && canManage ? <ErrorMessage error={roles.error} /> : null}
      {users.data ? (
        <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <UsersTable users={users.data} roles={roles.data ?? []} canManage={canManage} selfId={actor.id} />
        </div>
      ) : users.isPending ? (
        <p className="text-sm text-slate-500" aria-busy="true">
          {t("common.loading")}
        </p>
      ) : null}
    </div>
  );
}
