import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { auditQuery, type AuditFilters } from "../filters";
import type { AuditPage } from "../types";

export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const,
  orders: (filters: AuditFilters) => [...auditKeys.all, "orders", filters] as const,
};

/** `GET /audit` (`audit:read`): newest first, keyset-paginated by `cursor`. */
export function getAudit(filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return api.request<AuditPage>("/audit", { query: { ...auditQuery(filters), cursor, limit: AUDIT_PAGE_SIZE }, signal });
}

export function useAudit(filters: AuditFilters, enabled: boolean) {
  return useInfiniteQuery({
    ...infiniteQueryOptions({
      queryKey: auditKeys.list(filters),
      queryFn: ({ pageParam, signal }) => getAudit(filters, pageParam, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
      staleTime: 30_000,
    }),
    enabled,
  });
}
