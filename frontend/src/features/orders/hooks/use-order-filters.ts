"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { filtersFromSearchParams, filtersToSearchParams, type OrderFilters } from "../filters";

/**
 * The board's filters and open order, kept in the URL (shareable, back/forward friendly). Written
 * with the History API, which Next's router follows: no server round trip, so opening an order
 * or changing a filter works offline too.
 */
export function useOrderFilters() {
  const searchParams = useSearchParams();
  const pathname = usePathname();

  const filters = useMemo(() => filtersFromSearchParams(searchParams), [searchParams]);
  const openOrderId = searchParams.get("order");

  // The URL we last asked for: two quick changes (close the drawer, then pick a tab) must build
  // on each other, not on the params of the last render.
  const latest = useRef(searchParams.toString());
  useEffect(() => {
    latest.current = searchParams.toString();
  }, [searchParams]);

  const navigate = useCallback(
    (params: URLSearchParams) => {
      const search = params.toString();
      latest.current = search;
      // `null` state: Next copies its own into it and follows the URL (its own states are passed through untouched).
      window.history.replaceState(null, "", search ? `${pathname}?${search}` : pathname);
    },
    [pathname],
  );

  const setFilters = useCallback(
    (patch: Partial<OrderFilters>) => {
      const base = new URLSearchParams(latest.current);
      navigate(filtersToSearchParams({ ...filtersFromSearchParams(base), ...patch }, base));
    },
    [navigate],
  );

  const setOpenOrder = useCallback(
    (id: string | null) => {
      const params = new URLSearchParams(latest.current);
      if (id) params.set("order", id);
      else params.delete("order");
      navigate(params);
    },
    [navigate],
  );

  return { filters, setFilters, openOrderId, setOpenOrder };
}
