/** Names for the user ids orders carry (`assignee_id`, history `actor_id`): the backend sends ids only. */
import { useMemo } from "react";
import { useUserNames } from "@/features/users/api/user-names";
import type { UserName } from "@/features/users/types";
import { useI18n } from "@/lib/i18n/i18n-provider";
import type { Actor } from "@/lib/permissions";
import { canReadOrders, canWorkOrders } from "./permissions";

/** The accounts the dashboard can name. */
export interface People {
  /** Every account, by display name as the server orders them (deactivated ones included). */
  readonly all: readonly UserName[];
  /** The account behind an id, or null while the names load, when they failed, or for an unknown id. */
  get(id: string): UserName | null;
  /** The signed-in user, when known. */
  readonly selfId?: string;
}

/**
 * A short label for an id whose name is unknown. Ids are UUIDv7, whose leading digits are a
 * timestamp shared by every id made in the same period: the trailing (random) digits tell them apart.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, "").slice(-6);
}

/** A directory over `names`; `self` (the signed-in user) is known even before they load. */
export function peopleFrom(names: readonly UserName[], self?: UserName): People {
  const byId = new Map(names.map((person) => [person.id, person] as const));
  if (self && !byId.has(self.id)) byId.set(self.id, self);
  return { all: names, get: (id: string) => byId.get(id) ?? null, selfId: self?.id };
}

/**
 * Everyone's name from `GET /users/names`, the one source of names for every role that reads
 * orders (admins, dispatchers, agents, viewers): one cached query, shared by the board, the
 * drawer, the timeline and the assignee filter, invalidated by the users page. The signed-in
 * user is known before it loads.
 */
export function usePeople(actor: Actor & { display_name: string }): People {
  const names = useUserNames(canReadOrders(actor));
  const { id: selfId, display_name: selfName } = actor;
  const selfWorks = canWorkOrders(actor);
  // Stable while the data is: rows are memoised on it.
  return useMemo(
    () => peopleFrom(names.data ?? [], { id: selfId, display_name: selfName, active: true, works_orders: selfWorks }),
    [names.data, selfId, selfName, selfWorks],
  );
}

/** How a person is shown: the name, marked when deactivated; a short id when unknown. */
export function usePersonLabel(people: People): (id: string) => string {
  const { t } = useI18n();
  return (id: string) => {
    const person = people.get(id);
    if (!person) return t("people.unknown", { id: shortId(id) });
    return person.active ? person.display_name : t("people.inactive", { name: person.display_name });
  };
}
