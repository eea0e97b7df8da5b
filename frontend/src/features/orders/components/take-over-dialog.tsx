"use client";

/** Asks before "assign to me" takes an order a colleague holds: names them, leaving it is the default. */
import { useId, useRef } from "react";
import { Button } from "@/components/ui/button";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { useI18n } from "@/lib/i18n/i18n-provider";

interface Props {
  number: string;
  /** The colleague who holds it now. */
  holder: string;
  onConfirm(): void;
  onCancel(): void;
}

export function TakeOverDialog({ number, holder, onConfirm, onCancel }: Props) {
  const { t } = useI18n();
  const keep = useRef<HTMLButtonElement>(null);
  const bodyId = useId();
  return (
    <ModalDialog role="alertdialog" title={t("takeOver.title", { number })} onClose={onCancel} initialFocus={keep} describedBy={bodyId}>
      <p id={bodyId} className="text-sm">{t("takeOver.body", { number, name: holder })}</p>
      <div className="flex flex-wrap justify-end gap-2">
        <Button ref={keep} onClick={onCancel}>
          {t("takeOver.cancel", { name: holder })}
        </Button>
        <Button variant="primary" onClick={onConfirm}>
          {t("takeOver.confirm")}
        </Button>
      </div>
    </ModalDialog>
  );
}
