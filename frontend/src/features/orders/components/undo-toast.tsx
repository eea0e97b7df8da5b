"use client";

/**
 * "Undo" for the user's last status change or assignment, with the seconds left of the
 * server's window; a refusal (someone changed the order since, the window closed) says so.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { isOffline } from "@/lib/online";
import { isApiError } from "@/lib/problem";
import { useNow } from "@/lib/use-now";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useUndoOrder } from "../api/undo-order";
import { secondsLeft, useUndoOffer, withdrawUndo, type UndoOffer } from "../undo";

interface Props {
  /** The name behind an assignee id (for "assigned to …"). */
  nameOf(id: string): string;
}

/** Why an undo was refused, in the user's words. */
function refusalOf(error: unknown): MessageKey | null {
  if (!isApiError(error)) return null;
  if (error.kind === "version-conflict" || error.kind === "nothing-to-undo") return "undo.changedSince";
  return null;
}

function describe(offer: UndoOffer, t: ReturnType<typeof useI18n>["t"], nameOf: Props["nameOf"]): string {
  const { change, number } = offer;
  if (change.kind === "status") return t("undo.status", { number, status: t(`status.${change.status}`) });
  return change.assigneeId === null ? t("undo.unassigned", { number }) : t("undo.assigned", { number, name: nameOf(change.assigneeId) });
}

export function UndoToast({ nameOf }: Props) {
  const { t } = useI18n();
  const offer = useUndoOffer();
  const now = useNow(1000);
  const queryClient = useQueryClient();
  const undo = useUndoOrder();
  /** What became of the last offer, shown after it is gone (and the offer it belonged to). */
  const [outcome, setOutcome] = useState<{ text: string; tone: "done" | "refused" } | null>(null);

  const left = offer ? secondsLeft(offer, now) : 0;
  useEffect(() => {
    if (offer && left === 0) withdrawUndo(offer);
  }, [offer, left]);
  // A new offer replaces the last outcome (adjusted while rendering, not in an effect).
  const [seenOffer, setSeenOffer] = useState(offer);
  if (offer !== seenOffer) {
    setSeenOffer(offer);
    if (offer) setOutcome(null);
  }

  const run = (current: UndoOffer) => {
    if (isOffline()) {
      setOutcome({ text: t("offline.action"), tone: "refused" });
      return;
    }
    undo.mutate(
      { orderId: current.orderId, version: current.version },
      {
        onSuccess: () => {
          withdrawUndo(current);
          setOutcome({ text: t("undo.done", { number: current.number }), tone: "done" });
        },
        onError: (error) => {
          withdrawUndo(current);
          // Whatever the error teaches is applied (a conflict's current order goes into the caches).
          const general = handleOrderMutationError(queryClient, current.orderId, error);
          const key = refusalOf(error) ?? general;
          setOutcome({ text: key ? t(key, { number: current.number }) : t("common.unexpectedError"), tone: "refused" });
        },
      },
    );
  };

  if (!offer && !outcome) return null;
  const tone = outcome?.tone === "refused" && !offer ? "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200" : "border-slate-300 bg-white text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";
  return (
    <div
      role="status"
      aria-label={t("undo.label")}
      className={`fixed bottom-4 left-1/2 z-40 flex -translate-x-1/2 items-center gap-3 rounded-lg border px-4 py-2 text-sm shadow-lg ${tone}`}
    >
      {offer ? (
        <>
          <span>{describe(offer, t, nameOf)}</span>
          <Button variant="primary" disabled={undo.isPending} onClick={() => run(offer)}>
            {t("undo.action", { seconds: left })}
          </Button>
          <Button variant="ghost" aria-label={t("common.close")} onClick={() => withdrawUndo(offer)}>
            ×
          </Button>
        </>
      ) : outcome ? (
        <>
          <span>{outcome.text}</span>
          <Button variant="ghost" onClick={() => setOutcome(null)}>
            {t("common.close")}
          </Button>
        </>
      ) : null}
    </div>
  );
}
