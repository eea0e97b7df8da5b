"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import { isOffline } from "@/lib/online";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useAssignOrder } from "../api/assign-order";
import { nextAnchor, splitArrivals, titleWithCount, unseenCount, type Anchor } from "../arrivals";
import { useOrderStats } from "../api/get-order-stats";
import { useOrders } from "../api/get-orders";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useBoardShortcuts } from "../hooks/use-board-shortcuts";
import { useOrderFilters } from "../hooks/use-order-filters";
import { usePeople, usePersonLabel } from "../people";
import { EMPTY_SELECTION, keepFailed, selectAll, selectedRows, selectRange, toggle, type Selection } from "../bulk/selection";
import { assignToMeStep, canActInBulk } from "../permissions";
import { dismissLeftNotice, useLeftNotices, type LeftNotice } from "../realtime/departures";
import { useUnseenOrders } from "../realtime/unseen-orders";
import { shortcutsFor } from "../shortcuts";
import type { OrderListItem, OrderStatus } from "../types";
import { BulkBar } from "./bulk-bar";
import { ExportButton } from "./export-button";
import { FilterBar } from "./filter-bar";
import { OrderDrawer } from "./order-drawer";
import { OrdersList } from "./orders-list";
import { ShortcutHelp, ShortcutKeys } from "./shortcut-help";
import { StatusTabs } from "./status-tabs";
import { TakeOverDialog } from "./take-over-dialog";

const EVERY_ORDER = () => true;

interface Props {
  actor: Actor & { display_name: string };
  /** Whether a new order is one the user asked to be alerted about (the Alerts menu): what the tab title counts. Every order without it. */
  alertsAbout?: (order: OrderListItem) => boolean;
}

export function OrdersBoard({ actor, alertsAbout = EVERY_ORDER }: Props) {
  const { t } = useI18n();
  const { filters, setFilters, openOrderId, setOpenOrder } = useOrderFilters();
  const orders = useOrders(filters);
  const stats = useOrderStats(filters);
  const assign = useAssignOrder();
  const queryClient = useQueryClient();
  const people = usePeople(actor);
  const searchRef = useRef<HTMLInputElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [assignProblem, setAssignProblem] = useState<MessageKey | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  /** The order `a` would take from a colleague, as it was when asked (its version guards the take). */
  const [takeOver, setTakeOver] = useState<OrderListItem | null>(null);
  const label = usePersonLabel(people);
  const shortcuts = useMemo(() => shortcutsFor(actor), [actor]);

  const bulkAllowed = canActInBulk(actor);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);

  const allRows = useMemo(() => orders.data?.pages.flatMap((page) => page.items) ?? [], [orders.data]);

  // Away from the top (scrolled down, or a row selected) the list holds still: new orders wait
  // behind the pill. The anchor belongs to one filter: another list starts again from its top.
  const [scrolledAway, setScrolledAway] = useState(false);
  const [scrollToTop, setScrollToTop] = useState(0);
  const filtersKey = JSON.stringify(filters);
  const [hold, setHold] = useState<{ key: string; anchor: Anchor | null }>({ key: filtersKey, anchor: null });
  const holding = scrolledAway || selectedId !== null || selection.ids.length > 0;
  const anchor = nextAnchor(hold.key === filtersKey ? hold.anchor : null, holding, allRows);
  if (hold.key !== filtersKey || hold.anchor !== anchor) setHold({ key: filtersKey, anchor });
  const { shown: rows, held } = useMemo(() => splitArrivals(allRows, anchor, filters.sort), [allRows, anchor, filters.sort]);
  const showHeld = () => {
    setHold({ key: filtersKey, anchor: null });
    setScrollToTop((n) => n + 1);
  };

  // The tab title counts what the user has not seen and asked to be alerted about (the Alerts
  // menu): held orders and those that came while hidden.
  const arrivedUnseen = useUnseenOrders();
  const leftNotices = useLeftNotices();
  /** To whom an order went, by name when the dashboard knows it; "someone else" otherwise. */
  const leftMessage = (notice: LeftNotice) => {
    const name = notice.to ? people.get(notice.to)?.display_name : undefined;
    return name ? t("orders.leftTo", { number: notice.number, name }) : t("orders.leftYou", { number: notice.number });
  };
  // Only while some arrived unseen: at 200 orders/s the list changes many times a second.
  const anyArrivedUnseen = arrivedUnseen.size > 0;
  const listed = useMemo(() => new Map(anyArrivedUnseen ? allRows.map((row) => [row.id, row]) : []), [allRows, anyArrivedUnseen]);
  const unseen = unseenCount(held, arrivedUnseen, listed, alertsAbout);
  useEffect(() => {
    document.title = titleWithCount(document.title, unseen);
  }, [unseen]);
  useEffect(() => () => void (document.title = titleWithCount(document.title, 0)), []);
  const selectedIndex = selectedId ? rows.findIndex((row) => row.id === selectedId) : -1;

  // Bulk selection: the handlers are stable (rows are memoised on them) and read the rows of the last render.
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  const checkedIds = useMemo(() => new Set(selection.ids), [selection]);
  const checkedRows = useMemo(() => selectedRows(selection, rows), [selection, rows]);
  const onCheck = useCallback(
    (id: string, range: boolean) => setSelection((s) => (range ? selectRange(s, rowsRef.current, id) : toggle(s, id))),
    [],
  );
  const onCheckAll = useCallback((all: boolean) => setSelection(all ? selectAll(rowsRef.current) : EMPTY_SELECTION), []);
  const selectedTab: OrderStatus | null = filters.statuses.length === 1 ? (filters.statuses[0] ?? null) : null;

  const onOpen = useCallback(
    (id: string) => {
      setSelectedId(id);
      setOpenOrder(id);
    },
    [setOpenOrder],
  );

  const move = (delta: number) => {
    if (rows.length === 0) return;
    const from = selectedIndex < 0 ? (delta > 0 ? -1 : rows.length) : selectedIndex;
    const next = Math.min(rows.length - 1, Math.max(0, from + delta));
    setSelectedId(rows[next]?.id ?? null);
  };

  const assignToMe = (order: OrderListItem) => {
    setAssignProblem(null);
    if (isOffline()) {
      setAssignProblem("offline.action");
      return;
    }
    assign.mutate(
      { orderId: order.id, assigneeId: actor.id, version: order.version },
      { onError: (error) => setAssignProblem(handleOrderMutationError(queryClient, order.id, error) ?? "common.unexpectedError") },
    );
  };

  useBoardShortcuts({
    next: () => move(1),
    previous: () => move(-1),
    open: () => selectedId && setOpenOrder(selectedId),
    toggleSelect: () => {
      if (bulkAllowed && selectedId) onCheck(selectedId, false);
    },
    assignToMe: () => {
      const order = rows[selectedIndex];
      if (!order) return;
      const step = assignToMeStep(actor, order);
      if (step === "assign") assignToMe(order);
      else if (step === "confirm") setTakeOver(order);
    },
    focusSearch: () => searchRef.current?.focus(),
    close: () => (openOrderId ? setOpenOrder(null) : setSelectedId(null)),
    help: () => setHelpOpen(true),
  });

  const { fetchNextPage } = orders;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  return (
    <div className="flex h-full min-h-0 flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="flex items-baseline gap-3">
          <h1 className="text-xl font-semibold">{t("orders.title")}</h1>
          {hasPermission(actor, PERMISSIONS.ordersExport) ? <ExportButton filters={filters} /> : null}
        </div>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {stats.data ? t("orders.lastHour", { count: stats.data.created_last_hour }) : null}
          <span className="ml-3 hidden md:inline" data-testid="shortcut-hints">
            {shortcuts.map((shortcut, i) => (
              <span key={shortcut.id}>
                {i > 0 ? " · " : null}
                {shortcut.id === "help" ? (
                  // The help is also a click away, for those who do not know the keys yet.
                  <button type="button" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?" className="hover:underline">
                    <ShortcutKeys shortcut={shortcut} /> {t(shortcut.label)}
                  </button>
                ) : (
                  <>
                    <ShortcutKeys shortcut={shortcut} /> {t(shortcut.label)}
                  </>
                )}
              </span>
            ))}
          </span>
        </p>
      </div>
      <StatusTabs
        selected={selectedTab}
        overdue={filters.overdue}
        stats={stats.data}
        onSelect={(status) => setFilters({ statuses: status ? [status] : [], overdue: false })}
        onOverdue={() => setFilters({ statuses: [], overdue: true })}
      />
      <FilterBar filters={filters} actor={actor} onChange={setFilters} searchRef={searchRef} people={people} />
      {bulkAllowed ? (
        <BulkBar
          actor={actor}
          rows={checkedRows}
          onDone={(done) => setSelection((s) => keepFailed(s, done))}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
      ) : null}
      {leftNotices.length > 0 ? (
        <ul role="status" className="space-y-1">
          {leftNotices.map((notice) => (
            <li key={notice.id} className="flex items-center justify-between gap-3 rounded-md border border-sky-300 bg-sky-50 px-3 py-1.5 text-sm text-sky-900 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-200">
              {leftMessage(notice)}
              <button type="button" className="text-xs underline" onClick={() => dismissLeftNotice(notice.id)}>
                {t("common.close")}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {assignProblem ? <ErrorMessage error={assign.error} fallback={t(assignProblem)} /> : null}
      {orders.isError && !orders.data ? (
        <div className="space-y-2">
          <ErrorMessage error={orders.error} fallback={t("orders.loadError")} />
          <Button onClick={() => void orders.refetch()}>{t("common.retry")}</Button>
        </div>
      ) : orders.isPending ? (
        // Offline, a list never read (another filter) waits for the connection: say so.
        <p role="status" className="text-sm text-slate-500">{orders.fetchStatus === "paused" ? t("orders.offline") : t("common.loading")}</p>
      ) : (
        <div className="relative flex min-h-0 flex-1 flex-col">
          <div aria-live="polite" className="contents">
          {held.length > 0 ? (
            <button
              type="button"
              onClick={showHeld}
              className="absolute left-1/2 top-10 z-10 -translate-x-1/2 rounded-full bg-blue-600 px-4 py-1.5 text-sm font-medium text-white shadow-lg hover:bg-blue-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 dark:bg-blue-500 dark:text-slate-950"
            >
              {held.length === 1 ? t("arrivals.pillOne") : t("arrivals.pill", { count: held.length })}
            </button>
          ) : null}
          </div>
          <OrdersList
          orders={rows}
          hasNextPage={orders.hasNextPage}
          isFetchingNextPage={orders.isFetchingNextPage}
          fetchNextPage={loadMore}
          selectedIndex={selectedIndex}
          people={people}
          onOpen={onOpen}
          onScrolledAway={setScrolledAway}
          scrollToTop={scrollToTop}
          checked={checkedIds}
          onCheck={bulkAllowed ? onCheck : undefined}
          onCheckAll={bulkAllowed ? onCheckAll : undefined}
          overdueAfter={stats.data?.overdue_after_minutes}
        />
        </div>
      )}
      {helpOpen ? <ShortcutHelp shortcuts={shortcuts} onClose={() => setHelpOpen(false)} /> : null}
      {takeOver?.assignee_id ? (
        <TakeOverDialog
          number={takeOver.number}
          holder={label(takeOver.assignee_id)}
          onCancel={() => setTakeOver(null)}
          onConfirm={() => {
            setTakeOver(null);
            assignToMe(takeOver);
          }}
        />
      ) : null}
      {openOrderId ? <OrderDrawer orderId={openOrderId} actor={actor} people={people} summary={rows.find((row) => row.id === openOrderId)} onClose={() => setOpenOrder(null)} /> : null}
    </div>
  );
}
