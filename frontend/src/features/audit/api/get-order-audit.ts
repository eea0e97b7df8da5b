import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { auditQuery, type AuditFilters } from "../filters";
import type { OrderAuditPage } from "../types";
import { AUDIT_PAGE_SIZE, auditKeys } from "./get-audit";

/** `GET /orders/audit` (`audit:read`): order actions newest first, keyset-paginated by `cursor`. */
export function getOrderAudit(filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<OrderAuditPage> {
  return api.request<OrderAuditPage>("/orders/audit", { query: { ...auditQuery(filters), cursor, limit: AUDIT_PAGE_SIZE }, signal });
}

export function useOrderAudit(filters: AuditFilters, enabled: boolean) {
  return useInfiniteQuery({
    ...infiniteQueryOptions({
      queryKey: auditKeys.orders(filters),
      queryFn: ({ pageParam, signal }) => getOrderAudit(filters, pageParam, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
      staleTime: 30_000,
    }),
    enabled,
  });
}
