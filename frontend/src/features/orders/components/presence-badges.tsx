"use client";

/** Who else has an order open: their initials, the name on hover (and for screen readers). */
import { useI18n } from "@/lib/i18n/i18n-provider";
import { usePersonLabel, type People } from "../people";
import { useOrderViewers } from "../realtime/presence";

/** Up to two letters: the first of the first two words (whole characters, not UTF-16 halves). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => Array.from(word)[0] ?? "")
    .join("")
    .toUpperCase();
}

export function PresenceBadges({ orderId, people, size = "sm" }: { orderId: string; people: People; size?: "sm" | "md" }) {
  const { t } = useI18n();
  const label = usePersonLabel(people);
  const others = useOrderViewers(orderId).filter((id) => id !== people.selfId);
  if (others.length === 0) return null;
  const names = others.map(label);
  const dot = size === "md" ? "h-7 w-7 text-xs" : "h-5 w-5 text-[10px]";
  return (
    <span data-testid="presence" role="img" aria-label={t("presence.viewing", { names: names.join(", ") })} className="inline-flex shrink-0 -space-x-1">
      {names.map((name, i) => (
        <span
          key={others[i]}
          title={name}
          className={`${dot} inline-flex items-center justify-center rounded-full bg-violet-600 font-sans font-semibold text-white ring-2 ring-white dark:bg-violet-400 dark:text-slate-950 dark:ring-slate-900`}
        >
          {initials(name)}
        </span>
      ))}
    </span>
  );
}
