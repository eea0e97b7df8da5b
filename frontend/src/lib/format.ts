/** Formatting helpers shared by the screens. Money is integer minor units, never floats. */

const moneyFormatters = new Map<string, Intl.NumberFormat>();
/** Per currency: making an Intl.NumberFormat costs more than formatting a row (the board formats every row it renders). */
const currencyDigits = new Map<string, number>();

export function minorUnitDigits(currency: string): number {
  let digits = currencyDigits.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    currencyDigits.set(currency, digits);
  }
  return digits;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      formatter = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormatters.set(key, formatter);
  }
  const digits = minorUnitDigits(currency);
  // Integer division keeps it exact for display; only the final value is a JS number.
  return formatter.format(minor / 10 ** digits);
}

export type AgeLevel = "normal" | "warn" | "alert";

export function ageLevel(ageMs: number, warnMinutes: number, alertMinutes: number): AgeLevel {
  const minutes = ageMs / 60_000;
  if (minutes >= alertMinutes) return "alert";
  if (minutes >= warnMinutes) return "warn";
  return "normal";
}

/** Compact age: `45s`, `12m`, `3h 05m`, `2d 4h`. */
export function formatAge(ageMs: number): string {
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(date);
}
