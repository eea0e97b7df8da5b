"use client";

import { useEffect, useState, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { useAssignableUsers } from "@/features/users/api/get-assignable-users";
import { useI18n } from "@/lib/i18n/i18n-provider";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { useWorkload } from "../api/get-workload";
import { choiceLabel, filterChoices } from "../assignees";
import { CREATED_RANGES, ORDER_SORTS, PRIORITY_FILTERS, type OrderFilters } from "../filters";
import { usePersonLabel, type People } from "../people";
import { assigneeFilterChoices } from "../shortcuts";

interface Props {
  filters: OrderFilters;
  actor: Actor;
  onChange(patch: Partial<OrderFilters>): void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Everyone the dashboard can name (`GET /users/names`): those who work orders are the people to filter by. */
  people: People;
}

const SEARCH_DEBOUNCE_MS = 300;
const fieldClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

export function FilterBar({ filters, actor, onChange, searchRef, people }: Props) {
  const { t } = useI18n();
  const label = usePersonLabel(people);
  // An agent only ever sees orders assigned to them: an assignee filter means nothing there;
  // "Mine" only for someone who can hold orders (not a viewer).
  const assigneeChoices = assigneeFilterChoices(actor);
  // Others who work orders by name, then the deactivated (history still names them); "Mine" is
  // the signed-in user. Emails for those who may assign, counts for those who read every order.
  const accounts = useAssignableUsers(assigneeChoices.show && hasPermission(actor, PERMISSIONS.ordersAssign));
  const workload = useWorkload(assigneeChoices.show);
  const choices = filterChoices(people.all, accounts.data ?? [], workload.data ?? new Map()).filter((person) => person.id !== actor.id);
  const special = ["all", "me", "unassigned"].includes(filters.assignee);

  // The search box types freely; the URL follows after a pause. An outside change of the
  // URL (back button, "clear") is copied into the box.
  const [text, setText] = useState(filters.q);
  const [seenQ, setSeenQ] = useState(filters.q);
  const [written, setWritten] = useState(filters.q);
  if (filters.q !== seenQ) {
    setSeenQ(filters.q);
    if (filters.q !== written) setText(filters.q);
  }
  useEffect(() => {
    if (text.trim() === filters.q) return;
    const timer = window.setTimeout(() => {
      setWritten(text.trim());
      onChange({ q: text });
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, filters.q, onChange]);

  const isDefault =
    filters.statuses.length === 0 && filters.assignee === "all" && !filters.q && filters.priority === "all" && filters.created === "any";

  return (
    <div className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
        {t("orders.sort")}
        <select
          className={`${fieldClass} mt-1`}
          value={filters.sort}
          onChange={(e) => onChange({ sort: ORDER_SORTS.find((sort) => sort === e.target.value) ?? "newest" })}
        >
          {ORDER_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`orders.sort.${sort}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
        {t("orders.filters.priority")}
        <select
          className={`${fieldClass} mt-1`}
          value={filters.priority}
          onChange={(e) => onChange({ priority: PRIORITY_FILTERS.find((priority) => priority === e.target.value) ?? "all" })}
        >
          {PRIORITY_FILTERS.map((priority) => (
            <option key={priority} value={priority}>
              {t(priority === "all" ? "orders.filters.priority.all" : `priority.${priority}`)}
            </option>
          ))}
        </select>
      </label>
      <CreatedRangeField filters={filters} onChange={onChange} />
      {!assigneeChoices.show ? null : (
        <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
          {t("orders.filters.assignee")}
          <select
            className={`${fieldClass} mt-1`}
            value={filters.assignee}
            onChange={(e) => onChange({ assignee: e.target.value })}
          >
            <option value="all">{t("orders.filters.assignee.all")}</option>
            {assigneeChoices.mine ? <option value="me">{t("orders.filters.assignee.me")}</option> : null}
            <option value="unassigned">{t("orders.filters.assignee.unassigned")}</option>
            {choices.map((person) => (
              <option key={person.id} value={person.id} title={person.email ?? undefined}>
                {choiceLabel(person, t)}
              </option>
            ))}
            {/* A link may name someone the list lacks (not loaded yet, or the signed-in user). */}
            {!special && !choices.some((person) => person.id === filters.assignee) ? (
              <option value={filters.assignee}>{label(filters.assignee)}</option>
            ) : null}
          </select>
        </label>
      )}
      <label className="flex min-w-64 flex-1 flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
        {t("orders.filters.search")}
        <input
          ref={searchRef}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="/"
          className={`${fieldClass} mt-1`}
        />
      </label>
      {!isDefault ? (
        <Button
          variant="ghost"
          onClick={() => onChange({ statuses: [], assignee: "all", q: "", priority: "all", created: "any", createdFrom: "", createdTo: "" })}
        >
          {t("orders.filters.clear")}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * When the orders were created: any time, today, the last 24 hours, or a custom range of days
 * (two date fields, shown once "Custom range" is chosen; the range starts empty on both ends).
 */
function CreatedRangeField({ filters, onChange }: Pick<Props, "filters" | "onChange">) {
  const { t } = useI18n();
  // "Custom range" chosen but no day typed yet: not a filter (the URL has nothing to say) until a day is.
  const [choosingDays, setChoosingDays] = useState(false);
  const [seenCreated, setSeenCreated] = useState(filters.created);
  if (filters.created !== seenCreated) {
    // Changed in the URL (a day typed, "Clear filters", back): the URL's range is the one shown.
    setSeenCreated(filters.created);
    setChoosingDays(false);
  }
  const custom = filters.created === "custom" || choosingDays;
  return (
    <>
      <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
        {t("orders.filters.created")}
        <select
          className={`${fieldClass} mt-1`}
          value={custom ? "custom" : filters.created}
          onChange={(e) => {
            const created = CREATED_RANGES.find((range) => range === e.target.value) ?? "any";
            setChoosingDays(created === "custom");
            if (created !== "custom") onChange({ created, createdFrom: "", createdTo: "" });
          }}
        >
          {CREATED_RANGES.map((range) => (
            <option key={range} value={range}>
              {t(`orders.filters.created.${range}`)}
            </option>
          ))}
        </select>
      </label>
      {custom ? (
        <>
          <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
            {t("orders.filters.created.from")}
            <input
              type="date"
              className={`${fieldClass} mt-1`}
              value={filters.createdFrom}
              max={filters.createdTo || undefined}
              onChange={(e) => onChange({ created: "custom", createdFrom: e.target.value, createdTo: filters.createdTo })}
            />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-300">
            {t("orders.filters.created.to")}
            <input
              type="date"
              className={`${fieldClass} mt-1`}
              value={filters.createdTo}
              min={filters.createdFrom || undefined}
              onChange={(e) => onChange({ created: "custom", createdFrom: filters.createdFrom, createdTo: e.target.value })}
            />
          </label>
        </>
      ) : null}
    </>
  );
}
