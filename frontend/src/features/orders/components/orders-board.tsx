"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { MessageKey } from "@/lib/i18n/messages";
import type { Actor } from "@/lib/permissions";
import { useAssignOrder } from "../api/assign-order";
import { useOrderStats } from "../api/get-order-stats";
import { useOrders } from "../api/get-orders";
import { handleOrderMutationError } from "../api/mutation-errors";
import { useBoardShortcuts } from "../hooks/use-board-shortcuts";
import { useOrderFilters } from "../hooks/use-order-filters";
import { usePeople } from "../people";
import { allowedAssignActions } from "../permissions";
import type { OrderStatus } from "../types";
import { FilterBar } from "./filter-bar";
import { OrderDrawer } from "./order-drawer";
import { OrdersList } from "./orders-list";
import { StatusTabs } from "./status-tabs";

export function OrdersBoard({ actor }: { actor: Actor & { display_name: string } }) {
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

  const rows = useMemo(() => orders.data?.pages.flatMap((page) => page.items) ?? [], [orders.data]);
  const selectedIndex = selectedId ? rows.findIndex((row) => row.id === selectedId) : -1;
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

  useBoardShortcuts({
    next: () => move(1),
    previous: () => move(-1),
    open: () => selectedId && setOpenOrder(selectedId),
    assignToMe: () => {
      const order = rows[selectedIndex];
      if (!order || !allowedAssignActions(actor, order).assignToMe) return;
      setAssignProblem(null);
      assign.mutate(
        { orderId: order.id, assigneeId: actor.id, version: order.version },
        { onError: (error) => setAssignProblem(handleOrderMutationError(queryClient, order.id, error) ?? "common.unexpectedError") },
      );
    },
    focusSearch: () => searchRef.current?.focus(),
    close: () => openOrderId && setOpenOrder(null),
  });

  const { fetchNextPage } = orders;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  return (
    <div className="flex h-full min-h-0 flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">{t("orders.title")}</h1>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {stats.data ? t("orders.lastHour", { count: stats.data.created_last_hour }) : null}
          <span className="ml-3 hidden md:inline">{t("shortcuts.hint")}</span>
        </p>
      </div>
      <StatusTabs selected={selectedTab} stats={stats.data} onSelect={(status) => setFilters({ statuses: status ? [status] : [] })} />
      <FilterBar filters={filters} actor={actor} onChange={setFilters} searchRef={searchRef} people={people} />
      {assignProblem ? <ErrorMessage error={assign.error} fallback={t(assignProblem)} /> : null}
      {orders.isError && !orders.data ? (
        <div className="space-y-2">
          <ErrorMessage error={orders.error} fallback={t("orders.loadError")} />
          <Button onClick={() => void orders.refetch()}>{t("common.retry")}</Button>
        </div>
      ) : orders.isPending ? (
        <p className="text-sm text-slate-500">{t("common.loading")}</p>
      ) : (
        <OrdersList
          orders={rows}
          hasNextPage={orders.hasNextPage}
          isFetchingNextPage={orders.isFetchingNextPage}
          fetchNextPage={loadMore}
          selectedIndex={selectedIndex}
          people={people}
          onOpen={onOpen}
        />
      )}
      {openOrderId ? <OrderDrawer orderId={openOrderId} actor={actor} people={people} onClose={() => setOpenOrder(null)} /> : null}
    </div>
  );
}
