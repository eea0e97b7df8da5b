import { queryOptions, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "@/lib/api";
import { hasPermission, PERMISSIONS, type Actor } from "@/lib/permissions";
import { orderKeys } from "../keys";
import type { StaffMember } from "../types";
import { useAssignableUsers } from "./get-assignable-users";

/** `GET /users?include_inactive=true` (`users:read`): every account, to name actors and assignees. */
export function getStaff(signal?: AbortSignal): Promise<StaffMember[]> {
  return api.request<StaffMember[]>("/users", { query: { include_inactive: "true" }, signal });
}

export function staffQueryOptions() {
  return queryOptions({
    queryKey: orderKeys.staff(),
    queryFn: ({ signal }) => getStaff(signal),
    staleTime: 5 * 60_000,
  });
}

export type NameOf = (id: string) => string | null;

/**
 * A short label for an id whose name is unknown. Ids are UUIDv7, whose leading digits are a
 * timestamp shared by every id made in the same period: the trailing (random) digits tell them apart.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, "").slice(-6);
}

/**
 * Display names for the user ids orders carry (`assignee_id`, history `actor_id`). The backend
 * sends ids only; names come from `GET /users` (`users:read`) or, failing that,
 * `GET /users/assignable` (`orders:assign`), plus the signed-in user. A user with neither grant
 * (agent, viewer) knows only their own name: other ids resolve to null and the UI shows a short id.
 */
export function useStaffNames(actor: Actor & { display_name: string }): NameOf {
  const canReadUsers = hasPermission(actor, PERMISSIONS.usersRead);
  const staff = useQuery({ ...staffQueryOptions(), enabled: canReadUsers });
  const assignable = useAssignableUsers(!canReadUsers && hasPermission(actor, PERMISSIONS.ordersAssign));
  const people = staff.data ?? assignable.data;
  const { id: selfId, display_name: selfName } = actor;
  // Stable while the data is: rows are memoised on it.
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const person of people ?? []) names.set(person.id, person.display_name);
    names.set(selfId, selfName);
    return (id: string) => names.get(id) ?? null;
  }, [people, selfId, selfName]);
}
