"use client";

import { memo } from "react";
import { formatAge } from "@/lib/format";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { usePersonLabel } from "../people";
import { lineStyle, type RowProps } from "./order-row";
import { BulkCheckbox, OrderNumberCell, useRowLook } from "./row-look";
import { StatusBadge } from "./status-badge";

/** A card's height on the phone board (three lines and padding; a comfortable thumb target). */
export const CARD_HEIGHT = 88;

/**
 * One order on a phone: number, status, customer, age and assignee on a card the whole of
 * which opens the order, with a thumb-sized box selecting it for a bulk action (for those who
 * may act in bulk). It keeps the grid's row semantics, so the board reads the same to
 * assistive technology on any screen.
 */
export const OrderCard = memo(function OrderCard({ order, index, selected, now, top, height, people, onOpen, checked, onCheck }: RowProps) {
  const { t } = useI18n();
  const label = usePersonLabel(people);
  const { ageMs, ageClass, highlight, unseen } = useRowLook(order, now);

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-order-id={order.id}
      data-layout="card"
      style={lineStyle(top, height)}
      onClick={() => onOpen(order.id, index)}
      className={`${highlight} cursor-pointer border-b border-slate-200 px-3 py-2 dark:border-slate-700 ${
        selected ? "bg-blue-50 ring-2 ring-inset ring-blue-500 dark:bg-blue-950/50" : "active:bg-slate-100 dark:active:bg-slate-800"
      } ${checked ? "bg-blue-50/70 dark:bg-blue-950/30" : ""}`}
    >
      <div className="flex items-center justify-between gap-2">
        <OrderNumberCell
          order={order}
          unseen={unseen}
          people={people}
          className="text-sm"
          leading={onCheck ? <BulkCheckbox order={order} checked={checked} onCheck={onCheck} className="mr-2 h-6 w-6" /> : null}
        />
        <span role="gridcell">
          <StatusBadge status={order.status} />
        </span>
      </div>
      <div className="mt-1 flex items-center justify-between gap-2 text-sm">
        <span role="gridcell" className="truncate font-medium">
          {order.customer_name}
        </span>
        <span role="gridcell" className={`shrink-0 tabular-nums ${ageClass}`}>
          <time dateTime={order.created_at}>{formatAge(ageMs)}</time>
        </span>
      </div>
      <div role="gridcell" className="mt-1 truncate text-xs text-slate-600 dark:text-slate-300">
        {order.assignee_id ? label(order.assignee_id) : <span className="italic text-slate-400">{t("orders.unassigned")}</span>}
      </div>
    </div>
  );
});
