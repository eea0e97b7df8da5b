/**
 * How an order's line on the board looks, the same in the desktop grid and on a phone card: its
 * age and colour, its highlight, and its number cell (with "new" and who else has it open).
 */
import { type ReactNode, useSyncExternalStore } from "react";
import { env } from "@/config/public-env";
import { ageLevel } from "@/lib/format";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { People } from "../people";
import { recentChanges } from "../realtime/recent-changes";
import { useIsUnseen } from "../realtime/unseen-orders";
import { isTerminal } from "../status-machine";
import type { OrderListItem } from "../types";
import { PresenceBadges } from "./presence-badges";

const AGE_CLASS = {
  normal: "text-slate-600 dark:text-slate-400",
  warn: "font-semibold text-amber-600 dark:text-amber-400",
  alert: "font-semibold text-red-600 dark:text-red-400",
} as const;

/** The order's age at `now`, its colour, its arrival/change animation and whether it is unseen. */
export function useRowLook(order: OrderListItem, now: number) {
  const recent = useSyncExternalStore(recentChanges.subscribe, () => recentChanges.get().get(order.id), () => undefined);
  const ageMs = now - Date.parse(order.created_at);
  const level = isTerminal(order.status)
    ? "normal"
    : ageLevel(ageMs, env.NEXT_PUBLIC_AGE_WARN_MINUTES, env.NEXT_PUBLIC_AGE_ALERT_MINUTES);
  return {
    ageMs,
    ageClass: AGE_CLASS[level],
    highlight: recent === "created" ? "row-new" : recent === "updated" ? "row-flash" : "",
    unseen: useIsUnseen(order.id),
  };
}

/**
 * The box that selects an order for a bulk action (`range`: shift held, from the last toggled
 * one). Its click neither opens the order nor is lost to the line's own click.
 */
export function BulkCheckbox({
  order,
  checked,
  onCheck,
  className,
}: {
  order: OrderListItem;
  checked: boolean;
  onCheck(id: string, range: boolean): void;
  className: string;
}) {
  const { t } = useI18n();
  return (
    <input
      type="checkbox"
      checked={checked}
      aria-label={t("bulk.select", { number: order.number })}
      // onClick, not onChange: only the click knows whether shift was held; it does not open the line.
      onClick={(event) => {
        event.stopPropagation();
        onCheck(order.id, event.shiftKey);
      }}
      onChange={() => undefined}
      className={`shrink-0 accent-blue-600 ${className}`}
    />
  );
}

/** The order number, marked "new" while unseen, with colleagues' initials; `leading` (the
 * bulk checkbox) goes before the number. */
export function OrderNumberCell({
  order,
  unseen,
  people,
  className,
  leading,
}: {
  order: OrderListItem;
  unseen: boolean;
  people: People;
  className: string;
  leading?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <span role="gridcell" className={`flex items-center gap-1 font-mono font-semibold ${className}`}>
      {leading}
      {order.number}
      {unseen ? (
        <span data-testid="unseen-mark" className="rounded bg-blue-600 px-1 font-sans text-[10px] font-semibold leading-4 text-white dark:bg-blue-400 dark:text-slate-950">
          {t("orders.new")}
        </span>
      ) : null}
      <PresenceBadges orderId={order.id} people={people} />
    </span>
  );
}
