"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAssignableUsers } from "@/features/users/api/get-assignable-users";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { isOffline } from "@/lib/online";
import type { Actor } from "@/lib/permissions";
import { useAssignOrder } from "../api/assign-order";
import { useWorkload } from "../api/get-workload";
import { assignChoices, choiceLabel } from "../assignees";
import { useCancelOrder } from "../api/cancel-order";
import { cancelRefusalOf } from "../cancel-reason";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useChangeOrderStatus } from "../api/update-order";
import { usePersonLabel, type People } from "../people";
import { allowedAssignActions, allowedStatusActions, assignToMeStep } from "../permissions";
import { isTerminal } from "../status-machine";
import type { CancelReason, OrderListItem, OrderStatus } from "../types";
import { CancelOrderDialog, type CancelRefusal } from "./cancel-order-dialog";
import { TakeOverDialog } from "./take-over-dialog";

interface Props {
  /** A list row or a full order: only these fields matter here. */
  order: Pick<OrderListItem, "id" | "number" | "status" | "assignee_id" | "version">;
  actor: Actor & { display_name: string };
  /** Names for ids (the colleague an order would be taken from). */
  people: People;
}

/** Only what the status machine allows and the user's permissions permit. */
export function OrderActions({ order, actor, people: names }: Props) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const changeStatus = useChangeOrderStatus();
  const assign = useAssignOrder();
  const cancel = useCancelOrder();
  /** The cancel dialog, open: the version the user saw when asking, and why the last try failed. */
  const [cancelling, setCancelling] = useState<{ version: number; refusal: CancelRefusal | null } | null>(null);
  const [problem, setProblem] = useState<{ key: MessageKey } | { text: string } | null>(null);
  const statusActions = allowedStatusActions(actor, order);
  const assignActions = allowedAssignActions(actor, order);
  const people = useAssignableUsers(assignActions.assign);
  const workload = useWorkload(assignActions.assign);
  const choices = people.data ? assignChoices(people.data, workload.data ?? new Map()) : null;
  const label = usePersonLabel(names);
  const [asking, setAsking] = useState(false);
  const busy = changeStatus.isPending || assign.isPending || cancel.isPending;
  const final = isTerminal(order.status);

  const onError = (error: unknown) => {
    const key = handleOrderMutationError(queryClient, order.id, error);
    setProblem(key ? { key } : { text: error instanceof Error ? error.message : t("common.unexpectedError") });
  };

  /** Offline, nothing is sent (or queued to be sent later): the user is told so. */
  const refusedOffline = () => {
    if (!isOffline()) return false;
    setProblem({ key: "offline.action" });
    return true;
  };

  const toStatus = (status: OrderStatus) => {
    setProblem(null);
    if (refusedOffline()) return;
    changeStatus.mutate({ orderId: order.id, status, version: order.version }, { onError });
  };

  /** Cancelling asks first: a reason, in a dialog, sent with the version seen when it opened. */
  const askToCancel = () => {
    setProblem(null);
    if (refusedOffline()) return;
    setCancelling({ version: order.version, refusal: null });
  };

  const confirmCancel = (reason: CancelReason) => {
    if (!cancelling) return;
    if (isOffline()) {
      setCancelling({ ...cancelling, refusal: { key: "offline.action" } });
      return;
    }
    setCancelling({ ...cancelling, refusal: null });
    cancel.mutate(
      { orderId: order.id, reason, version: cancelling.version },
      {
        onSuccess: () => setCancelling(null),
        onError: (error) => {
          const refusal = cancelRefusalOf(error);
          if (refusal) {
            setCancelling((open) => open && { ...open, refusal });
            return;
          }
          setCancelling(null);
          onError(error);
        },
      },
    );
  };

  const assignTo = (assigneeId: string | null) => {
    setProblem(null);
    if (refusedOffline()) return;
    assign.mutate({ orderId: order.id, assigneeId, version: order.version }, { onError });
  };

  const assignToMe = () => {
    const step = assignToMeStep(actor, order);
    if (step === "confirm") setAsking(true);
    else if (step === "assign") assignTo(actor.id);
  };

  if (statusActions.length === 0 && !assignActions.assign) {
    // A finished order is final for everyone: say that, not that the user lacks a permission.
    return <p className="text-sm text-slate-500 dark:text-slate-400">{t(final ? `action.final.${order.status as "DELIVERED" | "CANCELLED"}` : "action.noActions")}</p>;
  }

  const message = problem === null ? null : "key" in problem ? t(problem.key) : problem.text;

  return (
    <div className="space-y-3">
      {final ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t(`action.finalStatus.${order.status as "DELIVERED" | "CANCELLED"}`)}</p>
      ) : null}
      {statusActions.length > 0 ? (
        <div className="flex flex-wrap gap-2" role="group" aria-label={t("orders.col.status")}>
          {statusActions.map((status) => (
            <Button
              key={status}
              variant={status === "CANCELLED" ? "danger" : "primary"}
              disabled={busy}
              onClick={() => (status === "CANCELLED" ? askToCancel() : toStatus(status))}
              aria-haspopup={status === "CANCELLED" ? "dialog" : undefined}
            >
              {t(`action.to.${status}`)}
            </Button>
          ))}
        </div>
      ) : null}
      {assignActions.assign ? (
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("orders.col.assignee")}>
          {assignActions.assignToMe ? (
            <Button
              disabled={busy}
              onClick={assignToMe}
              aria-keyshortcuts="a"
            >
              {t("action.assignToMe")}
            </Button>
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <span className="sr-only">{t("action.assignTo")}</span>
            <select
              aria-label={t("action.assignTo")}
              disabled={busy || !choices}
              value=""
              onChange={(e) => {
                const person = choices?.find((p) => p.id === e.target.value);
                if (person) assignTo(person.id);
              }}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800"
            >
              <option value="">{t("action.assign")}</option>
              {choices
                ?.filter((p) => p.id !== order.assignee_id)
                .map((person) => (
                  <option key={person.id} value={person.id} title={person.email ?? undefined}>
                    {choiceLabel(person, t)}
                  </option>
                ))}
            </select>
          </label>
          {assignActions.unassign ? (
            <Button variant="ghost" disabled={busy} onClick={() => assignTo(null)}>
              {t("action.unassign")}
            </Button>
          ) : null}
        </div>
      ) : null}
      {asking && order.assignee_id ? (
        <TakeOverDialog
          number={order.number}
          holder={label(order.assignee_id)}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            assignTo(actor.id);
          }}
        />
      ) : null}
      {cancelling ? (
        <CancelOrderDialog
          number={order.number}
          pending={cancel.isPending}
          refusal={cancelling.refusal}
          onCancel={() => setCancelling(null)}
          onConfirm={confirmCancel}
        />
      ) : null}
      {message ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          {message}
        </p>
      ) : null}
    </div>
  );
}
