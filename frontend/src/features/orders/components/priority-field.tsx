"use client";

/**
 * The order's priority in the drawer: a normal/high choice for those who may update the order
 * (agents only their own, until it is final), sent with the version the user saw; read-only for
 * everyone else.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { isOffline } from "@/lib/online";
import type { Actor } from "@/lib/permissions";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useChangeOrderPriority } from "../api/update-order";
import { canChangePriority } from "../permissions";
import type { OrderDetail, OrderPriority } from "../types";
import { PriorityLabel } from "./status-badge";

const PRIORITIES: readonly OrderPriority[] = ["normal", "high"];

interface Props {
  order: Pick<OrderDetail, "id" | "status" | "priority" | "assignee_id" | "version">;
  actor: Actor;
}

export function PriorityField({ order, actor }: Props) {
  if (!canChangePriority(actor, order)) return <PriorityLabel priority={order.priority} />;
  return <PriorityPicker order={order} />;
}

function PriorityPicker({ order }: { order: Props["order"] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const change = useChangeOrderPriority();
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const id = useId();
  // While the change is on its way the choice shows; the server's answer (or 409 `current`) then does.
  const shown = change.isPending ? change.variables.priority : order.priority;

  const choose = (priority: OrderPriority) => {
    setProblem(null);
    if (priority === order.priority) return;
    if (isOffline()) {
      setProblem("offline.action");
      return;
    }
    change.mutate(
      { orderId: order.id, priority, version: order.version },
      { onError: (error) => setProblem(handleOrderMutationError(queryClient, order.id, error) ?? "common.unexpectedError") },
    );
  };

  return (
    <>
      <label htmlFor={id} className="flex items-center gap-1 text-sm">
        <span className="text-slate-600 dark:text-slate-300">{t("priority.label")}</span>
        <select
          id={id}
          value={shown}
          disabled={change.isPending}
          onChange={(e) => choose(e.target.value as OrderPriority)}
          className={`rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800 ${shown === "high" ? "font-semibold text-red-700 dark:text-red-300" : ""}`}
        >
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {t(`priority.${priority}`)}
            </option>
          ))}
        </select>
      </label>
      {problem ? (
        <p role="alert" className="basis-full rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          {t(problem)}
        </p>
      ) : null}
    </>
  );
}
