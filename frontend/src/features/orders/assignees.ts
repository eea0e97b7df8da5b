/**
 * The people an order can be given to, or filtered by: only those who work orders (never
 * viewers or the storefront account), active ones by name then email, each with their email
 * (for the hover) and open-order count; identical names show their email beside. Deactivated
 * people appear only where filtering history needs them, after the others, marked.
 */
import type { UserAccount, UserName } from "@/features/users/types";
import type { I18n } from "@/lib/i18n/i18n-provider";
import { shortId } from "./people";

export interface AssigneeChoice {
  id: string;
  name: string;
  /** For the hover; null when the caller may not read emails (a viewer). */
  email: string | null;
  active: boolean;
  /** Open orders held now (0 when none or not known). */
  open: number;
  /** Another choice has the same name: show the email (or a short id) beside it. */
  ambiguous: boolean;
}

const byNameThenEmail = (a: AssigneeChoice, b: AssigneeChoice) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) ||
  (a.email ?? "").localeCompare(b.email ?? "", undefined, { sensitivity: "base" }) ||
  a.id.localeCompare(b.id);

function finish(choices: AssigneeChoice[]): AssigneeChoice[] {
  const sorted = [...choices].sort(byNameThenEmail);
  const active = sorted.filter((c) => c.active);
  const inactive = sorted.filter((c) => !c.active);
  const seen = new Map<string, number>();
  for (const c of sorted) seen.set(c.name.toLocaleLowerCase(), (seen.get(c.name.toLocaleLowerCase()) ?? 0) + 1);
  return [...active, ...inactive].map((c) => ({ ...c, ambiguous: (seen.get(c.name.toLocaleLowerCase()) ?? 0) > 1 }));
}

/** The assign list: active people who may work orders (`GET /users/assignable`), with counts. */
export function assignChoices(accounts: readonly UserAccount[], open: ReadonlyMap<string, number>): AssigneeChoice[] {
  return finish(
    accounts
      .filter((a) => a.active)
      .map((a) => ({ id: a.id, name: a.display_name, email: a.email, active: true, open: open.get(a.id) ?? 0, ambiguous: false })),
  );
}

/**
 * The assignee filter: everyone who works orders (`GET /users/names`), deactivated ones last;
 * emails from the assignable list when the caller may read it.
 */
export function filterChoices(
  names: readonly UserName[],
  accounts: readonly UserAccount[],
  open: ReadonlyMap<string, number>,
): AssigneeChoice[] {
  const emails = new Map(accounts.map((a) => [a.id, a.email] as const));
  return finish(
    names
      .filter((n) => n.works_orders)
      .map((n) => ({ id: n.id, name: n.display_name, email: emails.get(n.id) ?? null, active: n.active, open: open.get(n.id) ?? 0, ambiguous: false })),
  );
}

/**
 * How a choice reads in a list: its name (with the email, or a short id, beside an identical
 * name), its open orders when active, "(inactive)" when not.
 */
export function choiceLabel(choice: AssigneeChoice, t: I18n["t"]): string {
  const name = choice.ambiguous ? `${choice.name} <${choice.email ?? shortId(choice.id)}>` : choice.name;
  return choice.active ? t("assignees.open", { name, count: choice.open }) : t("people.inactive", { name });
}
