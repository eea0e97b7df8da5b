"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { useUpdateUser } from "../api/users";
import { accountProblemKey, fieldErrorsOf } from "../errors";
import { isRoleName, type Role, type RoleName, type UserAccount, type UserChanges } from "../types";
import { PasswordResetForm, RenameForm } from "./account-editors";
import { RoleCheckboxes } from "./new-user-form";

/** The one editor a row has open at a time. */
type Panel = "rename" | "roles" | "password" | "deactivate";

interface Props {
  user: UserAccount;
  roles: Role[];
  canManage: boolean;
  isSelf: boolean;
  /** The only active administrator: may lose neither the role nor the active flag. */
  isLastAdmin: boolean;
}

/** One account; with `users:manage`: rename, change roles, reset the password, (de)activate. */
export function UserRow({ user, roles, canManage, isSelf, isLastAdmin }: Props) {
  const { t } = useI18n();
  const update = useUpdateUser();
  const [panel, setPanel] = useState<Panel | null>(null);
  const [chosenRoles, setChosenRoles] = useState<RoleName[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const problemKey = accountProblemKey(update.error);
  const fieldErrors = fieldErrorsOf(update.error);
  const name = user.display_name;

  const open = (next: Panel) => {
    update.reset();
    setDone(null);
    if (next === "roles") setChosenRoles(user.roles.filter(isRoleName));
    setPanel(next);
  };
  const close = () => {
    update.reset();
    setPanel(null);
  };
  const save = (changes: UserChanges, doneMessage?: string) =>
    update.mutate(
      { id: user.id, changes },
      {
        onSuccess: () => {
          setPanel(null);
          setDone(doneMessage ?? null);
        },
      },
    );

  const rule = isSelf ? t("users.rule.self") : isLastAdmin ? t("users.rule.lastAdmin") : null;

  return (
    <tr data-user-id={user.id} className={`border-b border-slate-100 align-top dark:border-slate-800 ${user.active ? "" : "text-slate-400"}`}>
      <td className="px-3 py-2 font-medium">
        {panel === "rename" ? (
          <RenameForm userId={user.id} name={name} pending={update.isPending} error={fieldErrors.display_name} onSave={(display_name) => save({ display_name })} onCancel={close} />
        ) : (
          <>
            {name}
            {isSelf ? <span className="ml-1 text-xs font-normal text-slate-500">{t("users.you")}</span> : null}
          </>
        )}
      </td>
      <td className="px-3 py-2">{user.email}</td>
      <td className="px-3 py-2">
        {panel === "roles" ? (
          <fieldset>
            <legend className="sr-only">{t("users.rolesFor", { name })}</legend>
            <RoleCheckboxes idPrefix={`roles-${user.id}`} roles={roles} chosen={chosenRoles} onChange={setChosenRoles} />
            {fieldErrors.roles ? <p className="mt-1 text-xs text-red-700 dark:text-red-300">{fieldErrors.roles}</p> : null}
            <div className="mt-2 flex gap-2">
              <Button variant="primary" onClick={() => save({ roles: chosenRoles })} disabled={update.isPending || chosenRoles.length === 0}>
                {t("users.saveRoles")}
              </Button>
              <Button variant="ghost" onClick={close}>
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
          {panel === null ? (
            <div className="flex flex-wrap gap-2">
              <Button aria-label={t("users.renameUser", { name })} onClick={() => open("rename")}>
                {t("users.rename")}
              </Button>
              <Button aria-label={t("users.editRolesOf", { name })} onClick={() => open("roles")}>
                {t("users.editRoles")}
              </Button>
              <Button aria-label={t("users.resetUser", { name })} onClick={() => open("password")}>
                {t("users.reset")}
              </Button>
              {user.active ? (
                <Button
                  variant="danger"
                  disabled={isSelf || isLastAdmin || update.isPending}
                  aria-describedby={rule ? `rule-${user.id}` : undefined}
                  aria-label={t("users.deactivateUser", { name })}
                  onClick={() => open("deactivate")}
                >
                  {t("users.deactivate")}
                </Button>
              ) : (
                <Button disabled={update.isPending} aria-label={t("users.reactivateUser", { name })} onClick={() => save({ active: true })}>
                  {t("users.reactivate")}
                </Button>
              )}
            </div>
          ) : null}
          {rule && user.active && panel === null ? (
            <p id={`rule-${user.id}`} className="text-xs text-slate-500">
              {rule}
            </p>
          ) : null}
          {panel === "password" ? (
            <PasswordResetForm
              userId={user.id}
              name={name}
              pending={update.isPending}
              error={fieldErrors.password}
              onSave={(password) => save({ password }, t("users.resetDone", { name }))}
              onCancel={close}
            />
          ) : null}
          {panel === "deactivate" && user.active ? (
            <div role="group" aria-label={t("users.deactivateUser", { name })} className="space-y-2 text-sm">
              <p>{t("users.deactivateConfirm", { name })}</p>
              <div className="flex gap-2">
                <Button variant="danger" disabled={update.isPending} onClick={() => save({ active: false })}>
                  {t("users.deactivateYes")}
                </Button>
                <Button variant="ghost" onClick={close}>
                  {t("users.cancel")}
                </Button>
              </div>
            </div>
          ) : null}
          {done ? (
            <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
              {done}
            </p>
          ) : null}
          {update.error && !(problemKey === "users.error.fix" && Object.keys(fieldErrors).length > 0) ? (
            <ErrorMessage error={update.error} fallback={problemKey ? t(problemKey) : undefined} />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
