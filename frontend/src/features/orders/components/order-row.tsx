"use client";

import { memo } from "react";
import { formatAge } from "@/lib/format";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { isOverdue, type OverdueAfter } from "../overdue";
import { usePersonLabel, type People } from "../people";
import type { OrderListItem } from "../types";
import { BulkCheckbox, OrderNumberCell, useRowLook } from "./row-look";
import { PriorityLabel, StatusBadge } from "./status-badge";

export const ROW_HEIGHT = 44;
export const GRID_COLUMNS = "grid grid-cols-[8.5rem_minmax(8rem,1fr)_4rem_8rem_7.5rem_5.5rem_9rem_5rem] items-center gap-3 px-3";

export interface RowProps {
  order: OrderListItem;
  index: number;
  selected: boolean;
  now: number;
  /** Where the virtual list puts the line (px from its top) and its height: numbers, so a line that did not move skips rendering. */
  top: number;
  height: number;
  people: People;
  onOpen(id: string, index: number): void;
  /** Whether the row is selected for a bulk action. */
  checked: boolean;
  /** When a waiting order is overdue (from the stats), to highlight it. */
  overdueAfter: OverdueAfter | undefined;
  /** Toggles the row's selection (`range`: shift held, from the last toggled row); absent for those who cannot act in bulk. */
  onCheck?(id: string, range: boolean): void;
}

/** The absolute position of a virtual list's line. */
export function lineStyle(top: number, height: number) {
  return { position: "absolute", top: 0, left: 0, width: "100%", height, transform: `translateY(${top}px)` } as const;
}

export const OrderRow = memo(function OrderRow({ order, index, selected, now, top, height, people, onOpen, checked, onCheck, overdueAfter }: RowProps) {
  const { t, money } = useI18n();
  const label = usePersonLabel(people);
  const { ageMs, ageClass, highlight, unseen } = useRowLook(order, now);
  const overdue = isOverdue(order, overdueAfter, now);

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-order-id={order.id}
      data-overdue={overdue || undefined}
      style={lineStyle(top, height)}
      onClick={() => onOpen(order.id, index)}
      className={`${GRID_COLUMNS} ${highlight} cursor-pointer border-b border-slate-100 text-sm dark:border-slate-800 ${
        selected ? "bg-blue-50 ring-2 ring-inset ring-blue-500 dark:bg-blue-950/50" : "hover:bg-slate-50 dark:hover:bg-slate-800/60"
      } ${checked ? "bg-blue-50/70 dark:bg-blue-950/30" : overdue ? "bg-red-50/70 dark:bg-red-950/30" : ""}`}
    >
      <OrderNumberCell
        order={order}
        unseen={unseen}
        people={people}
        className="text-xs"
        leading={onCheck ? <BulkCheckbox order={order} checked={checked} onCheck={onCheck} className="mr-1 h-4 w-4" /> : null}
      />
      <span role="gridcell" className="truncate" title={order.customer_email}>
        {order.customer_name}
      </span>
      <span role="gridcell" className="text-right tabular-nums" title={t("orders.lines", { count: order.item_count })}>
        {order.unit_count}
      </span>
      <span role="gridcell" className="text-right tabular-nums">
        {money(order.total, order.currency)}
      </span>
      <span role="gridcell">
        <StatusBadge status={order.status} />
      </span>
      <span role="gridcell">
        <PriorityLabel priority={order.priority} />
      </span>
      <span role="gridcell" className="truncate text-slate-700 dark:text-slate-300">
        {order.assignee_id ? (
          label(order.assignee_id)
        ) : (
          <span className="italic text-slate-400">{t("orders.unassigned")}</span>
        )}
      </span>
      <span role="gridcell" className={`text-right tabular-nums ${ageClass}`}>
        <time dateTime={order.created_at}>{formatAge(ageMs)}</time>
      </span>
    </div>
  );
});
