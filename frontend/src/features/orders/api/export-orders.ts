import { api } from "@/lib/api";
import { filtersToApiQuery, type OrderFilters } from "../filters";

/**
 * `GET /orders/export` (`orders:export`): the board's current view (its filters) as a CSV file,
 * UTF-8 with a byte-order mark. A view over the server's cap is a 422 `export-too-large`.
 */
export function exportOrders(filters: OrderFilters): Promise<Blob> {
  return api.download("/orders/export", { query: filtersToApiQuery(filters) });
}

/** `orders-20261201-1705.csv`, in local time: the moment the user asked for it. */
export function exportFileName(at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}`;
  return `orders-${day}-${two(at.getHours())}${two(at.getMinutes())}.csv`;
}
