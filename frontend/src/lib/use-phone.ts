/** Whether the screen is a phone held upright (≤ 420 px wide), kept current as it changes. */
import { useSyncExternalStore } from "react";

/** Keep in step with the `phone` variant in app/globals.css. */
export const PHONE_QUERY = "(max-width: 420px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia?.(PHONE_QUERY);
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

const isPhone = () => window.matchMedia?.(PHONE_QUERY).matches === true;

export function usePhone(): boolean {
  return useSyncExternalStore(subscribe, isPhone, () => false);
}
