/** The words of a grouped alert: one order named by its number, several counted by kind. */
import type { MessageKey } from "@/lib/i18n/messages";
import { groupSize, type AlertGroup, type AlertKind } from "./alerts";

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const ONE: Record<AlertKind, MessageKey> = {
  unassigned: "alerts.one.unassigned",
  highPriority: "alerts.one.highPriority",
  assigned: "alerts.one.assigned",
};
const MANY: Record<AlertKind, MessageKey> = {
  unassigned: "alerts.many.unassigned",
  highPriority: "alerts.many.highPriority",
  assigned: "alerts.many.assigned",
};
const KINDS: AlertKind[] = ["assigned", "highPriority", "unassigned"];

/** `{title, body}` of a notification for `group` (which holds at least one order). */
export function describeGroup(group: AlertGroup, t: Translate): { title: string; body: string } {
  const kinds = KINDS.filter((kind) => group[kind].length > 0);
  const counted = (kind: AlertKind) =>
    group[kind].length === 1 ? t(ONE[kind], { number: group[kind][0] ?? "" }) : t(MANY[kind], { count: group[kind].length });
  const [only] = kinds;
  if (kinds.length === 1 && only) return { title: counted(only), body: group[only].join(", ") };
  return { title: t("alerts.many.mixed", { count: groupSize(group) }), body: kinds.map(counted).join(" · ") };
}
