"use client";

/**
 * The bar over the board while rows are selected: how many, then one action for all of them
 * (assign to someone or unassign, change status, cancel with a reason), each order at the
 * version the board shows. Afterwards it says how it went ("18 confirmed · 2 were changed by
 * someone else"); the rows that went through leave the selection, the others stay in it.
 */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useAssignableUsers } from "@/features/users/api/get-assignable-users";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { isOffline } from "@/lib/online";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useBulkOrders } from "../api/bulk-orders";
import { useWorkload } from "../api/get-workload";
import { assignChoices, choiceLabel } from "../assignees";
import { doneIds, summarizeOutcome, type OutcomePart } from "../bulk/outcome";
import { cancelRefusalOf } from "../cancel-reason";
import { canWorkOrders } from "../permissions";
import { ORDER_STATUSES, type BulkAction, type OrderListItem } from "../types";
import { CancelOrderDialog, type CancelRefusal } from "./cancel-order-dialog";

interface Props {
  actor: Actor;
  /** The selected rows in view, in view order. */
  rows: readonly OrderListItem[];
  /** Told which orders went through (they leave the selection). */
  onDone(ids: readonly string[]): void;
  onClear(): void;
}

const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";

export function BulkBar({ actor, rows, onDone, onClear }: Props) {
  const { t } = useI18n();
  const bulk = useBulkOrders();
  const mayAssign = hasPermission(actor, PERMISSIONS.ordersAssign);
  const people = useAssignableUsers(mayAssign && rows.length > 0);
  const workload = useWorkload(mayAssign && rows.length > 0);
  const choices = people.data ? assignChoices(people.data, workload.data ?? new Map()) : null;
  const [outcome, setOutcome] = useState<OutcomePart[] | null>(null);
  const [cancelling, setCancelling] = useState<{ refusal: CancelRefusal | null } | null>(null);
  const [offline, setOffline] = useState(false);

  if (rows.length === 0 && !outcome) return null;

  const run = (action: BulkAction) => {
    setOffline(false);
    if (isOffline()) {
      setOffline(true);
      return;
    }
    const items = rows.map((row) => ({ id: row.id, version: row.version }));
    bulk.mutate(
      { action, items },
      {
        onSuccess: ({ results }) => {
          setCancelling(null);
          setOutcome(summarizeOutcome(action, results));
          onDone(doneIds(results));
        },
        onError: (error) => {
          if (action.type === "cancel") setCancelling({ refusal: cancelRefusalOf(error) ?? { key: "common.unexpectedError" } });
        },
      },
    );
  };

  return (
    <div
      role="toolbar"
      aria-label={t("bulk.selected", { count: rows.length })}
      data-testid="bulk-bar"
      // On a phone the bar sits along the bottom of the screen, in reach of the thumb that ticked the cards.
      className="flex flex-wrap items-center gap-2 rounded-lg border border-blue-200 bg-blue-50 px-3 py-2 text-sm dark:border-blue-900 dark:bg-blue-950/40 phone:fixed phone:inset-x-0 phone:bottom-0 phone:z-30 phone:rounded-none phone:border-x-0 phone:border-b-0 phone:pb-[max(0.5rem,env(safe-area-inset-bottom))] phone:shadow-[0_-4px_12px_rgba(0,0,0,0.15)] dark:phone:bg-blue-950"
    >
      {rows.length > 0 ? (
        <>
          <span className="font-medium">{t("bulk.selected", { count: rows.length })}</span>
          {canWorkOrders(actor) ? (
            <select
              aria-label={t("bulk.status")}
              value=""
              disabled={bulk.isPending}
              onChange={(e) => {
                const status = ORDER_STATUSES.find((s) => s === e.target.value);
                if (status) run({ type: "status", status });
              }}
              className={SELECT}
            >
              <option value="">{t("bulk.status")}</option>
              {ORDER_STATUSES.filter((s) => s !== "CANCELLED").map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          ) : null}
          {mayAssign ? (
            <>
              <select
                aria-label={t("bulk.assign")}
                value=""
                disabled={bulk.isPending || !choices}
                onChange={(e) => {
                  if (e.target.value) run({ type: "assign", assignee_id: e.target.value });
                }}
                className={SELECT}
              >
                <option value="">{t("bulk.assign")}</option>
                {choices?.map((person) => (
                  <option key={person.id} value={person.id} title={person.email ?? undefined}>
                    {choiceLabel(person, t)}
                  </option>
                ))}
              </select>
              <Button variant="ghost" disabled={bulk.isPending} onClick={() => run({ type: "assign", assignee_id: null })}>
                {t("action.unassign")}
              </Button>
            </>
          ) : null}
          {canWorkOrders(actor) ? (
            <Button variant="danger" disabled={bulk.isPending} onClick={() => setCancelling({ refusal: null })}>
              {t("bulk.cancel")}
            </Button>
          ) : null}
          <Button variant="ghost" onClick={onClear}>
            {t("bulk.clear")}
          </Button>
        </>
      ) : null}
      <span role="status" data-testid="bulk-outcome" className="ml-auto text-slate-700 dark:text-slate-300">
        {bulk.isPending
          ? t("bulk.sending")
          : offline
            ? t("offline.action")
            : outcome?.map((part) => t(part.key, { count: part.count })).join(" · ")}
      </span>
      {bulk.isError && !cancelling ? <ErrorMessage error={bulk.error} fallback={t("common.unexpectedError")} /> : null}
      {cancelling ? (
        <CancelOrderDialog
          number=""
          title={t("bulk.cancelTitle", { count: rows.length })}
          pending={bulk.isPending}
          refusal={cancelling.refusal}
          onCancel={() => setCancelling(null)}
          onConfirm={(reason) => run({ type: "cancel", reason })}
        />
      ) : null}
    </div>
  );
}
