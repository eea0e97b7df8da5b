"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { useCreateUser } from "../api/users";
import { isEmailAddress } from "../email";
import { accountProblemKey, fieldErrorsOf } from "../errors";
import { isRoleName, type Role, type RoleName } from "../types";

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-blue-500 focus:outline-2 focus:outline-blue-500 aria-[invalid=true]:border-red-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

type Field = "email" | "display_name" | "password" | "roles";

/** Creates an account: email, display name, password and at least one role (`users:manage`). */
export function NewUserForm({ roles }: { roles: Role[] }) {
  const { t } = useI18n();
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [chosen, setChosen] = useState<RoleName[]>([]);
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({});
  const [created, setCreated] = useState<string | null>(null);

  const serverErrors = fieldErrorsOf(create.error);
  const problemKey = accountProblemKey(create.error);
  const errorOf = (field: Field): string | undefined =>
    localErrors[field] ?? serverErrors[field] ?? (field === "email" && problemKey === "users.error.emailTaken" ? t(problemKey) : undefined);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const missing: Partial<Record<Field, string>> = {};
    if (!email.trim()) missing.email = t("users.field.required");
    else if (!isEmailAddress(email.trim())) missing.email = t("users.email.invalid");
    if (!password) missing.password = t("users.field.required");
    if (chosen.length === 0) missing.roles = t("users.roles.required");
    setLocalErrors(missing);
    if (Object.keys(missing).length > 0) return;
    create.mutate(
      { email: email.trim(), display_name: displayName.trim() || undefined, password, roles: chosen },
      {
        onSuccess: (user) => {
          setCreated(user.email);
          setEmail("");
          setDisplayName("");
          setPassword("");
          setChosen([]);
        },
      },
    );
  };

  const field = (id: Field, label: string, input: ReactNode, hint?: string) => {
    const error = errorOf(id);
    return (
      <div>
        <label htmlFor={`new-user-${id}`} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          {label}
        </label>
        {input}
        {error ? (
          <p id={`new-user-${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : hint ? (
          <p className="mt-1 text-xs text-slate-500">{hint}</p>
        ) : null}
      </div>
    );
  };
  const described = (id: Field) => (errorOf(id) ? { "aria-invalid": true as const, "aria-describedby": `new-user-${id}-error` } : {});

  return (
    <form aria-label={t("users.new.title")} onSubmit={onSubmit} noValidate className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <h2 className="text-sm font-semibold">{t("users.new.title")}</h2>
      {problemKey ? (
        <ErrorMessage error={create.error} fallback={t(problemKey)} />
      ) : create.error ? (
        <ErrorMessage error={create.error} />
      ) : null}
      {created ? (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          {t("users.new.created", { email: created })}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-3">
        {field(
          "email",
          t("users.new.email"),
          <input id="new-user-email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} className={inputClass} {...described("email")} />,
        )}
        {field(
          "display_name",
          t("users.new.displayName"),
          <input id="new-user-display_name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} className={inputClass} {...described("display_name")} />,
          t("users.new.displayNameHint"),
        )}
        {field(
          "password",
          t("users.new.password"),
          <input id="new-user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={inputClass} {...described("password")} />,
          t("users.new.passwordHint"),
        )}
      </div>
      <fieldset aria-describedby={errorOf("roles") ? "new-user-roles-error" : undefined}>
        <legend className="text-xs font-medium text-slate-600 dark:text-slate-300">{t("users.new.roles")}</legend>
        <RoleCheckboxes idPrefix="new-user-role" roles={roles} chosen={chosen} onChange={setChosen} />
        {errorOf("roles") ? (
          <p id="new-user-roles-error" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {errorOf("roles")}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {create.isPending ? t("users.new.submitting") : t("users.new.submit")}
      </Button>
    </form>
  );
}

export function RoleCheckboxes({
  idPrefix,
  roles,
  chosen,
  onChange,
}: {
  idPrefix: string;
  roles: Role[];
  chosen: RoleName[];
  onChange(next: RoleName[]): void;
}) {
  return (
    <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
      {roles.map(({ name, description }) =>
        isRoleName(name) ? (
          <label key={name} className="flex items-center gap-1.5 text-sm" title={description} htmlFor={`${idPrefix}-${name}`}>
            <input
              id={`${idPrefix}-${name}`}
              type="checkbox"
              checked={chosen.includes(name)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, name] : chosen.filter((r) => r !== name))}
            />
            {name}
          </label>
        ) : null,
      )}
    </div>
  );
}
