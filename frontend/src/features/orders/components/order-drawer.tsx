"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { Actor } from "@/lib/permissions";
import { missingOrder, useOrder } from "../api/get-order";
import { usePersonLabel, type People } from "../people";
import { useDeparture } from "../realtime/departures";
import { useAnnounceOpen } from "../realtime/presence";
import type { OrderDetail, OrderHistoryEntry, OrderListItem } from "../types";
import { canUpdateOrder } from "../permissions";
import { NoteForm } from "./note-form";
import { OrderActions } from "./order-actions";
import { PresenceBadges } from "./presence-badges";
import { PriorityField } from "./priority-field";
import { StatusBadge } from "./status-badge";

interface Props {
  orderId: string;
  actor: Actor & { display_name: string };
  people: People;
  /** The list row, when the order was opened from the list: named in the title before the order loads. */
  summary?: Pick<OrderListItem, "number">;
  onClose(): void;
}

/** What a history entry says: a sentence naming who did what, and its detail (a reason, a note). */
function useDescribeChange(people: People): (entry: OrderHistoryEntry) => { text: string; detail?: string } {
  const { t } = useI18n();
  const name = usePersonLabel(people);
  return (entry) => describeChange(entry, t, name);
}

function describeChange(
  entry: OrderHistoryEntry,
  t: ReturnType<typeof useI18n>["t"],
  name: (id: string) => string,
): { text: string; detail?: string } {
  const actor = name(entry.actor_id);
  let text: string;
  let detail: string | undefined;
  switch (entry.kind) {
    case "status":
      text =
        !entry.from_status
          ? t("drawer.history.created", { actor })
          : t("drawer.history.status", { actor, status: entry.to_status ? t(`status.${entry.to_status}`) : "?" });
      if (entry.reason) {
        const reason = t(`cancelReason.${entry.reason.code}`);
        detail = t("drawer.history.reason", { reason: entry.reason.text ? `${reason} — ${entry.reason.text}` : reason });
      }
      break;
    case "assignment":
      text = entry.assignee_id
        ? t("drawer.history.assigned", { actor, assignee: name(entry.assignee_id) })
        : t("drawer.history.unassigned", { actor });
      break;
    case "priority":
      text = t("drawer.history.priority", { actor, priority: entry.to_priority ? t(`priority.${entry.to_priority}`) : "?" });
      break;
    case "note":
      text = entry.note ? t("drawer.history.note", { actor }) : t("drawer.history.noteCleared", { actor });
      detail = entry.note ?? undefined;
      break;
    case "internal_note":
      text = t("drawer.history.internalNote", { actor });
      detail = entry.note ?? undefined;
      break;
  }
  return { text, detail };
}

function HistoryLine({ entry, people }: { entry: OrderHistoryEntry; people: People }) {
  const { t, dateTime } = useI18n();
  const { text, detail } = useDescribeChange(people)(entry);
  return (
    <li className="relative pl-4 before:absolute before:left-0 before:top-1.5 before:h-2 before:w-2 before:rounded-full before:bg-slate-400">
      <p className="text-sm">{text}</p>
      {entry.undo ? <p className="text-xs font-medium text-slate-600 dark:text-slate-300">{t("drawer.history.undo")}</p> : null}
      {detail !== undefined && <p className="whitespace-pre-wrap break-words text-sm text-slate-600 dark:text-slate-300">{detail}</p>}
      <time dateTime={entry.at} className="text-xs text-slate-500 dark:text-slate-400">
        {dateTime(entry.at)}
      </time>
    </li>
  );
}

function Details({ order, actor, people }: { order: OrderDetail; actor: Props["actor"]; people: People }) {
  const { t, money } = useI18n();
  const name = usePersonLabel(people);
  const address = order.shipping_address;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <StatusBadge status={order.status} />
        <PriorityField order={order} actor={actor} />
        <span className="text-sm text-slate-600 dark:text-slate-300">
          {order.assignee_id ? name(order.assignee_id) : t("orders.unassigned")}
        </span>
      </div>
      {/* On a phone the actions are a bar along the bottom of the screen, in reach of a thumb. */}
      <div
        data-testid="order-actions"
        className="phone:sticky phone:bottom-0 phone:order-last phone:-mx-4 phone:-mb-4 phone:border-t phone:border-slate-200 phone:bg-white phone:p-3 phone:shadow-[0_-4px_12px_rgb(0_0_0/0.08)] dark:phone:border-slate-700 dark:phone:bg-slate-900"
      >
        <OrderActions order={order} actor={actor} people={people} />
      </div>
      <section>
        <h3 className="text-xs font-semibold uppercase text-slate-500">{t("drawer.customer")}</h3>
        <p className="text-sm font-medium">{order.customer.name}</p>
        <p className="text-sm">{order.customer.email}</p>
        {order.customer.phone ? <p className="text-sm">{order.customer.phone}</p> : null}
      </section>
      <section>
        <h3 className="text-xs font-semibold uppercase text-slate-500">{t("drawer.address")}</h3>
        <address className="text-sm not-italic">
          {address.line1}
          {address.line2 ? <>, {address.line2}</> : null}
          <br />
          {address.city} {address.postal_code}, {address.country}
        </address>
      </section>
      <section>
        <h3 className="text-xs font-semibold uppercase text-slate-500">{t("drawer.items")}</h3>
        <table className="mt-1 w-full text-sm">
          <tbody>
            {order.items.map((line) => (
              <tr key={line.sku} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-1">
                  {line.name} <span className="text-xs text-slate-500">{line.sku}</span>
                </td>
                <td className="py-1 text-right tabular-nums">× {line.quantity}</td>
                <td className="py-1 text-right tabular-nums">{money(line.line_total, order.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="font-semibold">
              <td colSpan={2} className="pt-2 text-right">{t("drawer.total")}</td>
              <td className="pt-2 text-right tabular-nums">{money(order.total, order.currency)}</td>
            </tr>
          </tfoot>
        </table>
      </section>
      {order.note ? (
        <section>
          <h3 className="text-xs font-semibold uppercase text-slate-500">{t("drawer.note")}</h3>
          <p className="whitespace-pre-wrap text-sm">{order.note}</p>
        </section>
      ) : null}
      <section>
        <h3 className="text-xs font-semibold uppercase text-slate-500">{t("drawer.timeline")}</h3>
        {canUpdateOrder(actor, order) ? (
          <div className="mt-2">
            <NoteForm orderId={order.id} />
          </div>
        ) : null}
        <ol className="mt-2 space-y-3">
          {[...order.history].reverse().map((entry, i) => (
            <HistoryLine key={`${entry.at}-${i}`} entry={entry} people={people} />
          ))}
        </ol>
      </section>
    </div>
  );
}

/**
 * The newest change someone else made while this drawer showed `order` (null when none, or
 * when this user made the latest one): the history grew under the open drawer.
 */
function useChangedByOthers(order: OrderDetail | undefined, selfId: string): OrderHistoryEntry | null {
  const [seen, setSeen] = useState<{ id: string; count: number; change: OrderHistoryEntry | null } | null>(null);
  if (order && (seen?.id !== order.id || seen.count !== order.history.length)) {
    const grew = seen?.id === order.id && order.history.length > seen.count;
    const newest = order.history.at(-1);
    const change = grew && newest && newest.actor_id !== selfId ? newest : grew ? null : seen?.id === order.id ? seen.change : null;
    setSeen({ id: order.id, count: order.history.length, change });
  }
  return seen?.id === order?.id ? (seen?.change ?? null) : null;
}

function ChangedNotice({ change, people }: { change: OrderHistoryEntry; people: People }) {
  const { t } = useI18n();
  const { text } = useDescribeChange(people)(change);
  return (
    <p role="status" data-testid="changed-by-others" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      {t("drawer.changedBy", { change: text })}
    </p>
  );
}

/** Side panel with the full order; it updates live (events patch it, the timeline refetches). */
export function OrderDrawer({ orderId, actor, people, summary, onClose }: Props) {
  const { t } = useI18n();
  const query = useOrder(orderId);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useAnnounceOpen(orderId);
  const changedByOthers = useChangedByOthers(query.data, actor.id);

  useEffect(() => {
    headingRef.current?.focus();
  }, [orderId]);

  const departure = useDeparture(orderId);
  const missing = missingOrder(query.error);
  const notFound = missing !== null;
  // Offline: the fetch waits for the connection (TanStack Query pauses it); say so, not "Loading…".
  const waitingForNetwork = !query.data && query.fetchStatus === "paused";
  const number = query.data?.number ?? summary?.number;
  const title = notFound ? t("drawer.unavailable") : number ? t("drawer.title", { number }) : waitingForNetwork ? t("drawer.unavailable") : t("common.loading");
  const gone =
    missing === "malformed"
      ? t("drawer.malformedId")
      : departure === "deleted"
        ? t("drawer.deletedKnown")
        : departure === "left"
          ? t("drawer.left")
          : t("drawer.deleted");

  return (
    <aside
      role="dialog"
      aria-modal="false"
      aria-labelledby="order-drawer-title"
      className="absolute inset-y-0 right-0 z-20 flex w-full max-w-lg flex-col border-l border-slate-200 bg-white shadow-xl dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <h2 id="order-drawer-title" ref={headingRef} tabIndex={-1} className="flex-1 text-lg font-semibold outline-none">
          {title}
        </h2>
        <PresenceBadges orderId={orderId} people={people} size="md" />
        <Button variant="ghost" onClick={onClose} aria-label={t("common.close")} aria-keyshortcuts="Escape">
          ✕
        </Button>
      </div>
      {changedByOthers ? <ChangedNotice change={changedByOthers} people={people} /> : null}
      <div className="flex-1 overflow-auto p-4">
        {query.data ? (
          <Details order={query.data} actor={actor} people={people} />
        ) : notFound ? (
          <p className="text-sm">{gone}</p>
        ) : waitingForNetwork ? (
          <p role="status" className="text-sm">{t("drawer.offline")}</p>
        ) : query.isError ? (
          <ErrorMessage error={query.error} fallback={t("drawer.loadError")} />
        ) : (
          <p className="text-sm text-slate-500">{t("common.loading")}</p>
        )}
      </div>
    </aside>
  );
}
