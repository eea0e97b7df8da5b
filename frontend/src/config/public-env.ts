/**
 * What the browser reads: values validated by env.ts at build time and inlined by Next
 * (each `process.env.NEXT_PUBLIC_*` must be written out literally for that). Outside a Next
 * build (unit tests) the defaults apply. The gateway origin can also be chosen when the server
 * starts (`LOM_API_URL`, served by `/runtime-config.js`, loaded before the app): that wins.
 */
import { ENV_DEFAULTS } from "./env-defaults";

const toNumber = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
};

declare global {
  interface Window {
    /** Set by `/runtime-config.js` when the server was started with `LOM_API_URL`. */
    __LOM_API_URL__?: string;
  }
}

const runtimeApiUrl = typeof window === "undefined" ? undefined : window.__LOM_API_URL__;

export const env = {
  NEXT_PUBLIC_API_URL: runtimeApiUrl || process.env.NEXT_PUBLIC_API_URL || ENV_DEFAULTS.NEXT_PUBLIC_API_URL,
  NEXT_PUBLIC_AGE_WARN_MINUTES: toNumber(process.env.NEXT_PUBLIC_AGE_WARN_MINUTES, ENV_DEFAULTS.NEXT_PUBLIC_AGE_WARN_MINUTES),
  NEXT_PUBLIC_AGE_ALERT_MINUTES: toNumber(process.env.NEXT_PUBLIC_AGE_ALERT_MINUTES, ENV_DEFAULTS.NEXT_PUBLIC_AGE_ALERT_MINUTES),
} as const;

export const API_BASE = `${env.NEXT_PUBLIC_API_URL}/api/v1`;
