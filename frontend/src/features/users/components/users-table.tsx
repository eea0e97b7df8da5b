"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { useUpdateUser } from "../api/users";
import { accountProblemKey, fieldErrorsOf } from "../errors";
import { isRoleName, type Role, type RoleName, type UserAccount } from "../types";
import { RoleCheckboxes } from "./new-user-form";

interface Props {
  users: UserAccount[];
  roles: Role[];
  /** May change roles and the active flag (`users:manage`). */
  canManage: boolean;
  selfId: string;
}

/** Every account; with `users:manage`, roles can be changed and accounts (de)activated in place. */
export function UsersTable({ users, roles, canManage, selfId }: Props) {
  const { t } = useI18n();
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
          users.map((user) => <UserRow key={user.id} user={user} roles={roles} canManage={canManage} isSelf={user.id === selfId} />)
        )}
      </tbody>
    </table>
  );
}

function UserRow({ user, roles, canManage, isSelf }: { user: UserAccount; roles: Role[]; canManage: boolean; isSelf: boolean }) {
  const { t } = useI18n();
  const update = useUpdateUser();
  const [editing, setEditing] = useState<RoleName[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const problemKey = accountProblemKey(update.error);
  const rolesError = fieldErrorsOf(update.error).roles;

  const saveRoles = () => {
    if (!editing) return;
    update.mutate({ id: user.id, changes: { roles: editing } }, { onSuccess: () => setEditing(null) });
  };

  return (
    <tr data-user-id={user.id} className={`border-b border-slate-100 align-top dark:border-slate-800 ${user.active ? "" : "text-slate-400"}`}>
      <td className="px-3 py-2 font-medium">
        {user.display_name}
        {isSelf ? <span className="ml-1 text-xs font-normal text-slate-500">{t("users.you")}</span> : null}
      </td>
      <td className="px-3 py-2">{user.email}</td>
      <td className="px-3 py-2">
        {editing ? (
          <fieldset>
            <legend className="sr-only">{t("users.rolesFor", { name: user.display_name })}</legend>
            <RoleCheckboxes idPrefix={`roles-${user.id}`} roles={roles} chosen={editing} onChange={setEditing} />
            {rolesError ? <p className="mt-1 text-xs text-red-700 dark:text-red-300">{rolesError}</p> : null}
            <div className="mt-2 flex gap-2">
              <Button variant="primary" onClick={saveRoles} disabled={update.isPending || editing.length === 0}>
                {t("users.saveRoles")}
              </Button>
              <Button
                variant="ghost"
                onClick={() => {
                  setEditing(null);
                  update.reset();
                }}
              >
                {t("users.cancel")}
              </Button>
            </div>
          </fieldset>
        ) : (
          user.roles.join(", ")
        )}
      </td>
      <td className="px-3 py-2">{user.active ? t("users.active") : t("users.inactive")}</td>
      {canManage ? (
        <td className="space-y-2 px-3 py-2">
          <div className="flex flex-wrap gap-2">
            {editing ? null : (
              <Button
                aria-label={t("users.editRolesOf", { name: user.display_name })}
                onClick={() => {
                  update.reset();
                  setEditing(user.roles.filter(isRoleName));
                }}
              >
                {t("users.editRoles")}
              </Button>
            )}
            {user.active && !confirming ? (
              <Button
                variant="danger"
                disabled={isSelf || update.isPending}
                title={isSelf ? t("users.error.selfDeactivation") : undefined}
                aria-label={t("users.deactivateUser", { name: user.display_name })}
                onClick={() => {
                  update.reset();
                  setConfirming(true);
                }}
              >
                {t("users.deactivate")}
              </Button>
            ) : null}
            {!user.active ? (
              <Button
                disabled={update.isPending}
                aria-label={t("users.reactivateUser", { name: user.display_name })}
                onClick={() => update.mutate({ id: user.id, changes: { active: true } })}
              >
                {t("users.reactivate")}
              </Button>
            ) : null}
          </div>
          {confirming && user.active ? (
            <div role="group" aria-label={t("users.deactivateUser", { name: user.display_name })} className="space-y-2 text-sm">
              <p>{t("users.deactivateConfirm", { name: user.display_name })}</p>
              <div className="flex gap-2">
                <Button
                  variant="danger"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ id: user.id, changes: { active: false } }, { onSettled: () => setConfirming(false) })}
                >
                  {t("users.deactivateYes")}
                </Button>
                <Button variant="ghost" onClick={() => setConfirming(false)}>
                  {t("users.cancel")}
                </Button>
              </div>
            </div>
          ) : null}
          {update.error ? <ErrorMessage error={update.error} fallback={problemKey ? t(problemKey) : undefined} /> : null}
        </td>
      ) : null}
    </tr>
  );
}
