"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { useDocumentVisible } from "@/lib/use-document-visible";
import { usePhone } from "@/lib/use-phone";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { useNow } from "@/lib/use-now";
import { BULK_MAX } from "../bulk/selection";
import type { OverdueAfter } from "../overdue";
import type { People } from "../people";
import { markSeen, unseenOrders } from "../realtime/unseen-orders";
import type { OrderListItem } from "../types";
import { CARD_HEIGHT, OrderCard } from "./order-card";
import { GRID_COLUMNS, lineStyle, OrderRow, ROW_HEIGHT } from "./order-row";

interface Props {
  orders: OrderListItem[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
  selectedIndex: number;
  people: People;
  onOpen(id: string, index: number): void;
  /** Told when the list leaves its top or comes back to it. */
  onScrolledAway(away: boolean): void;
  /** Changing it scrolls back to the top. */
  scrollToTop: number;
  /** The rows selected for a bulk action. */
  checked: ReadonlySet<string>;
  /** Present for those who can act in bulk: toggles one row (shift: a range). */
  onCheck?(id: string, range: boolean): void;
  /** Selects the first rows of the view, up to the cap, or clears the selection. */
  onCheckAll?(all: boolean): void;
  /** When a waiting order is overdue (from the stats): such rows are highlighted. */
  overdueAfter: OverdueAfter | undefined;
}

/** How far down counts as "away from the top" (less than a row: a nudge is not leaving). */
const AWAY_PX = 8;
/** A "new" row counts as seen once it has been on screen this long in a visible tab. */
const SEEN_AFTER_MS = 2_000;

/**
 * Only the visible rows are in the DOM, so ten thousand loaded orders scroll smoothly. On a
 * phone (≤ 420 px) each order is a card instead of a grid line, with no column headers.
 */
export function OrdersList({ orders, hasNextPage, isFetchingNextPage, fetchNextPage, selectedIndex, people, onOpen, onScrolledAway, scrollToTop, checked, onCheck, onCheckAll, overdueAfter }: Props) {
  const { t } = useI18n();
  // Ages under a minute count seconds: tick every second (only the visible rows re-render).
  const now = useNow(1_000);
  const visible = useDocumentVisible();
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = orders.length + 1; // the last row says "loading more" or "end of list"
  const phone = usePhone();
  const Line = phone ? OrderCard : OrderRow;
  const lineHeight = phone ? CARD_HEIGHT : ROW_HEIGHT;
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns functions on purpose
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => lineHeight,
    overscan: 12,
    getItemKey: (index) => orders[index]?.id ?? "__footer",
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items[items.length - 1]?.index ?? 0;

  useEffect(() => virtualizer.measure(), [lineHeight, virtualizer]);

  useEffect(() => {
    if (lastVisible >= orders.length - 20 && hasNextPage && !isFetchingNextPage) fetchNextPage();
  }, [lastVisible, orders.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtualizer]);

  useEffect(() => {
    if (scrollToTop > 0) virtualizer.scrollToOffset(0);
  }, [scrollToTop, virtualizer]);

  const away = useRef(false);
  const onScroll = () => {
    const isAway = (scrollRef.current?.scrollTop ?? 0) > AWAY_PX;
    if (isAway === away.current) return;
    away.current = isAway;
    onScrolledAway(isAway);
  };

  // Rows on screen (not the overscan) in a visible tab are seen after a moment.
  const range = virtualizer.range;
  const onScreen = range ? orders.slice(range.startIndex, range.endIndex + 1).map((order) => order.id).join(" ") : "";
  useEffect(() => {
    if (!visible || !onScreen) return;
    const ids = onScreen.split(" ");
    const pending = ids.filter((id) => unseenOrders.get().has(id));
    if (pending.length === 0) return;
    const timer = window.setTimeout(() => markSeen(pending), SEEN_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [visible, onScreen]);

  return (
    <div role="grid" aria-rowcount={hasNextPage ? -1 : orders.length + 1} aria-label={t("orders.title")} className="flex min-h-0 flex-1 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div role="row" aria-rowindex={1} className={`${GRID_COLUMNS} phone:hidden border-b border-slate-200 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400`}>
        <span role="columnheader" className="flex items-center gap-2">
          {onCheckAll && orders.length > 0 ? (
            <input
              type="checkbox"
              checked={checked.size > 0}
              aria-label={t("bulk.selectAll", { count: Math.min(orders.length, BULK_MAX) })}
              title={t("bulk.selectAll", { count: Math.min(orders.length, BULK_MAX) })}
              onChange={(event) => onCheckAll(event.target.checked)}
              className="h-4 w-4 accent-blue-600"
            />
          ) : null}
          {t("orders.col.number")}
        </span>
        <span role="columnheader">{t("orders.col.customer")}</span>
        <span role="columnheader" className="text-right">{t("orders.col.items")}</span>
        <span role="columnheader" className="text-right">{t("orders.col.total")}</span>
        <span role="columnheader">{t("orders.col.status")}</span>
        <span role="columnheader">{t("orders.col.priority")}</span>
        <span role="columnheader">{t("orders.col.assignee")}</span>
        <span role="columnheader" className="text-right">{t("orders.col.age")}</span>
      </div>
      <div ref={scrollRef} onScroll={onScroll} className="min-h-0 flex-1 overflow-auto" data-testid="orders-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const order = orders[item.index];
            if (!order) {
              return (
                <div key={item.key} role="row" style={lineStyle(item.start, item.size)} className="flex items-center justify-center text-xs text-slate-500">
                  <span role="gridcell">
                    {orders.length === 0 && !hasNextPage ? t("orders.empty") : hasNextPage ? t("orders.loadingMore") : t("orders.end")}
                  </span>
                </div>
              );
            }
            return (
              <Line
                key={item.key}
                order={order}
                index={item.index}
                selected={item.index === selectedIndex}
                now={now}
                top={item.start}
                height={item.size}
                people={people}
                onOpen={onOpen}
                checked={checked.has(order.id)}
                onCheck={onCheck}
                overdueAfter={overdueAfter}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
