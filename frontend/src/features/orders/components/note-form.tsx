"use client";

/** Writes an internal note on an order (plain text; shown in the timeline as text, never as markup). */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { useAddNote } from "../api/add-note";

export const NOTE_MAX = 2000;

export function NoteForm({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const mutation = useAddNote(orderId);
  const blank = text.trim() === "";
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (blank) return;
        mutation.mutate(text, { onSuccess: () => setText("") });
      }}
    >
      <label className="block text-xs font-semibold uppercase text-slate-500" htmlFor={`note-${orderId}`}>
        {t("drawer.noteLabel")}
      </label>
      <textarea
        id={`note-${orderId}`}
        value={text}
        maxLength={NOTE_MAX}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        className="w-full rounded border border-slate-300 bg-white p-2 text-sm dark:border-slate-600 dark:bg-slate-800"
      />
      {mutation.isError ? <ErrorMessage error={mutation.error} fallback={t("drawer.noteError")} /> : null}
      <Button type="submit" disabled={blank || mutation.isPending}>
        {t("drawer.addNote")}
      </Button>
    </form>
  );
}
