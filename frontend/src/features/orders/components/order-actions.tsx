"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAssignableUsers } from "@/features/users/api/get-assignable-users";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import type { Actor } from "@/lib/permissions";
import { useAssignOrder } from "../api/assign-order";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useChangeOrderStatus } from "../api/update-order";
import { allowedAssignActions, allowedStatusActions } from "../permissions";
import type { OrderListItem, OrderStatus } from "../types";

interface Props {
  /** A list row or a full order: only these fields matter here. */
  order: Pick<OrderListItem, "id" | "status" | "assignee_id" | "version">;
  actor: Actor & { display_name: string };
}

/** Only what the status machine allows and the user's permissions permit. */
export function OrderActions({ order, actor }: Props) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const changeStatus = useChangeOrderStatus();
  const assign = useAssignOrder();
  const [problem, setProblem] = useState<{ key: MessageKey } | { text: string } | null>(null);
  const statusActions = allowedStatusActions(actor, order);
  const assignActions = allowedAssignActions(actor, order);
  const people = useAssignableUsers(assignActions.assign);
  const busy = changeStatus.isPending || assign.isPending;

  const onError = (error: unknown) => {
    const key = handleOrderMutationError(queryClient, order.id, error);
    setProblem(key ? { key } : { text: error instanceof Error ? error.message : t("common.unexpectedError") });
  };

  const toStatus = (status: OrderStatus) => {
    setProblem(null);
    changeStatus.mutate({ orderId: order.id, status, version: order.version }, { onError });
  };

  const assignTo = (assigneeId: string | null) => {
    setProblem(null);
    assign.mutate({ orderId: order.id, assigneeId, version: order.version }, { onError });
  };

  if (statusActions.length === 0 && !assignActions.assign) {
    return <p className="text-sm text-slate-500 dark:text-slate-400">{t("action.noActions")}</p>;
  }

  const message = problem === null ? null : "key" in problem ? t(problem.key) : problem.text;

  return (
    <div className="space-y-3">
      {statusActions.length > 0 ? (
        <div className="flex flex-wrap gap-2" role="group" aria-label={t("orders.col.status")}>
          {statusActions.map((status) => (
            <Button
              key={status}
              variant={status === "CANCELLED" ? "danger" : "primary"}
              disabled={busy}
              onClick={() => toStatus(status)}
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
              onClick={() => assignTo(actor.id)}
              aria-keyshortcuts="a"
            >
              {t("action.assignToMe")}
            </Button>
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <span className="sr-only">{t("action.assignTo")}</span>
            <select
              aria-label={t("action.assignTo")}
              disabled={busy || !people.data}
              value=""
              onChange={(e) => {
                const person = people.data?.find((p) => p.id === e.target.value);
                if (person) assignTo(person.id);
              }}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800"
            >
              <option value="">{t("action.assign")}</option>
              {people.data
                ?.filter((p) => p.id !== order.assignee_id)
                .map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.display_name}
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
      {message ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          {message}
        </p>
      ) : null}
    </div>
  );
}
