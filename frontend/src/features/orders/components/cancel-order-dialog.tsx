"use client";

/**
 * Asks before cancelling an order: why (one of the six reasons, focus starts there), and free
 * text, counted, required for "Other". Esc or "Keep the order" leave it as it is.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { buildCancelReason, CANCEL_REASON_CODES, REASON_TEXT_MAX, reasonTextLength, type ReasonProblem } from "../cancel-reason";
import type { CancelReason, CancelReasonCode } from "../types";

/** Why the last attempt did not go through: next to a field (422), or for the whole dialog (offline). */
export interface CancelRefusal {
  field?: "code" | "text";
  key: MessageKey;
}

interface Props {
  number: string;
  /** Instead of "Cancel order {number}?" (e.g. for many orders at once). */
  title?: string;
  pending: boolean;
  refusal: CancelRefusal | null;
  onConfirm(reason: CancelReason): void;
  onCancel(): void;
}

const FIELD_ERROR = "text-sm text-red-700 dark:text-red-300";

export function CancelOrderDialog({ number, title, pending, refusal, onConfirm, onCancel }: Props) {
  const { t } = useI18n();
  const [code, setCode] = useState<CancelReasonCode | null>(null);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<ReasonProblem | null>(null);
  const firstReason = useRef<HTMLInputElement>(null);
  const textInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const ids = { body: `${id}-body`, group: `${id}-reason`, codeError: `${id}-code-error`, text: `${id}-text`, count: `${id}-count`, textError: `${id}-text-error` };

  const count = reasonTextLength(text.trim());
  const say = (key: MessageKey) => t(key, { max: REASON_TEXT_MAX, over: count - REASON_TEXT_MAX });
  const shown = problem ?? refusal;
  const codeError = shown?.field === "code" ? say(shown.key) : null;
  const textError = shown?.field === "text" ? say(shown.key) : null;
  const general = refusal && !refusal.field ? say(refusal.key) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const built = buildCancelReason(code, text);
    if ("problem" in built) {
      setProblem(built.problem);
      (built.problem.field === "text" ? textInput : firstReason).current?.focus();
      return;
    }
    setProblem(null);
    onConfirm(built.reason);
  };

  return (
    <ModalDialog title={title ?? t("cancel.title", { number })} onClose={onCancel} initialFocus={firstReason} describedBy={ids.body}>
      <form onSubmit={submit} noValidate className="space-y-4">
        <p id={ids.body} className="text-sm">{t("cancel.body")}</p>
        <fieldset aria-describedby={codeError ? ids.codeError : undefined}>
          <legend className="text-sm font-medium">{t("cancel.reason")}</legend>
          <div className="mt-2 space-y-1">
            {CANCEL_REASON_CODES.map((value, i) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input
                  ref={i === 0 ? firstReason : undefined}
                  type="radio"
                  name={ids.group}
                  value={value}
                  checked={code === value}
                  onChange={() => {
                    setCode(value);
                    if (problem) setProblem(null);
                  }}
                  className="h-4 w-4 accent-red-600 dark:accent-red-400"
                />
                {t(`cancelReason.${value}`)}
              </label>
            ))}
          </div>
          {codeError ? <p id={ids.codeError} className={`mt-1 ${FIELD_ERROR}`}>{codeError}</p> : null}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={ids.text} className="block text-sm font-medium">
            {t("cancel.text")}{" "}
            <span className="font-normal text-slate-500 dark:text-slate-400">
              {t(code === "other" ? "cancel.textRequired" : "cancel.textOptional")}
            </span>
          </label>
          <input
            ref={textInput}
            id={ids.text}
            type="text"
            value={text}
            aria-required={code === "other"}
            aria-invalid={textError ? true : undefined}
            aria-describedby={textError ? `${ids.count} ${ids.textError}` : ids.count}
            onChange={(e) => {
              setText(e.target.value);
              if (problem?.field === "text") setProblem(null);
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-600 dark:bg-slate-800"
          />
          <p id={ids.count} className={`text-xs ${count > REASON_TEXT_MAX ? "text-red-700 dark:text-red-300" : "text-slate-500 dark:text-slate-400"}`}>
            {t("cancel.textCount", { count, max: REASON_TEXT_MAX })}
          </p>
          {textError ? <p id={ids.textError} className={FIELD_ERROR}>{textError}</p> : null}
        </div>
        {general ? (
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
            {general}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={onCancel}>{t("cancel.keep")}</Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {t(pending ? "cancel.sending" : "cancel.confirm")}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}
