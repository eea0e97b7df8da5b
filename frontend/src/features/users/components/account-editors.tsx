"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { inputClass } from "./new-user-form";

interface EditorProps {
  /** The account's id: makes the inputs' ids unique on the page. */
  userId: string;
  name: string;
  pending: boolean;
  /** A field error from the service (422), shown under the input. */
  error?: string;
  onSave(value: string): void;
  onCancel(): void;
}

/** One labelled input with Save and Cancel: the shape of both account editors. */
function OneFieldForm({
  id,
  formLabel,
  label,
  hint,
  type,
  initial,
  saveLabel,
  pending,
  error,
  onSave,
  onCancel,
}: Omit<EditorProps, "userId" | "name"> & { id: string; formLabel: string; label: string; hint?: string; type: "text" | "password"; initial: string; saveLabel: string }) {
  const { t } = useI18n();
  const [value, setValue] = useState(initial);
  const [missing, setMissing] = useState(false);
  const shown = missing ? t("users.field.required") : error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = type === "password" ? value : value.trim();
    setMissing(trimmed === "");
    if (trimmed !== "") onSave(trimmed);
  };
  return (
    <form aria-label={formLabel} onSubmit={submit} noValidate className="space-y-2">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
        {label}
      </label>
      <input
        id={id}
        type={type}
        autoComplete={type === "password" ? "new-password" : "off"}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className={inputClass}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : hint ? `${id}-hint` : undefined}
        autoFocus
      />
      {shown ? (
        <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-300">
          {shown}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {saveLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t("users.cancel")}
        </Button>
      </div>
    </form>
  );
}

/** Renames an account (its display name, shown on the board and in histories). */
export function RenameForm({ userId, name, ...props }: EditorProps) {
  const { t } = useI18n();
  return (
    <OneFieldForm
      id={`rename-${userId}`}
      formLabel={t("users.renameUser", { name })}
      label={t("users.renameLabel", { name })}
      type="text"
      initial={name}
      saveLabel={t("users.saveName")}
      {...props}
    />
  );
}

/** Sets a temporary password chosen by the administrator; the account's sessions end. */
export function PasswordResetForm({ userId, name, ...props }: EditorProps) {
  const { t } = useI18n();
  return (
    <OneFieldForm
      id={`reset-${userId}`}
      formLabel={t("users.resetUser", { name })}
      label={t("users.resetLabel", { name })}
      hint={t("users.resetHint")}
      type="password"
      initial=""
      saveLabel={t("users.resetSave")}
      {...props}
    />
  );
}
