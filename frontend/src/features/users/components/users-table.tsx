"use client";

import { useI18n } from "@/lib/i18n/i18n-provider";
import type { Role, UserAccount } from "../types";
import { UserRow } from "./user-row";

interface Props {
  users: UserAccount[];
  roles: Role[];
  /** May rename, re-role, reset and (de)activate accounts (`users:manage`). */
  canManage: boolean;
  selfId: string;
}

/** Every account; with `users:manage`, each can be changed in place. */
export function UsersTable({ users, roles, canManage, selfId }: Props) {
  const { t } = useI18n();
  const activeAdmins = users.filter((user) => user.active && user.roles.includes("admin"));
  const lastAdminId = activeAdmins.length === 1 ? (activeAdmins[0]?.id ?? null) : null;
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="sr-only">{t("users.title")}</caption>
      <thead>
        <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400">
          <th scope="col" className="px-3 py-2">{t("users.col.name")}</th>
          <th scope="col" className="px-3 py-2">{t("users.col.email")}</th>
          <th scope="col" className="px-3 py-2">{t("users.col.roles")}</th>
          <th scope="col" className="px-3 py-2">{t("users.col.status")}</th>
          {canManage ? <th scope="col" className="px-3 py-2">{t("users.col.actions")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {users.length === 0 ? (
          <tr>
            <td colSpan={canManage ? 5 : 4} className="px-3 py-6 text-center text-slate-500">
              {t("users.empty")}
            </td>
          </tr>
        ) : (
          users.map((user) => (
            <UserRow key={user.id} user={user} roles={roles} canManage={canManage} isSelf={user.id === selfId} isLastAdmin={user.id === lastAdminId} />
          ))
        )}
      </tbody>
    </table>
  );
}
