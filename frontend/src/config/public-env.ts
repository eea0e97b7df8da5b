/**
 * What the browser reads: values validated by env.ts at build time and inlined by Next
 * (each `process.env.NEXT_PUBLIC_*` must be written out literally for that). Outside a Next
 * build (unit tests) the defaults apply. The gateway can also be chosen when the server starts
 * (`LOM_API_URL` or `LOM_API_PORT`, served by `/runtime-config.js`, loaded before the app): that
 * wins. `API_ORIGIN` is where the gateway is for this page (gateway-origin.ts).
 */
import { ENV_DEFAULTS } from "./env-defaults";
import { gatewayOrigin } from "./gateway-origin";

const toNumber = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
};

declare global {
  interface Window {
    /** Set by `/runtime-config.js` when the server was started with `LOM_API_URL`. */
    __LOM_API_URL__?: string;
    /** Set by `/runtime-config.js` when the server was started with `LOM_API_PORT`. */
    __LOM_API_PORT__?: number;
  }
}

const browser = typeof window === "undefined" ? undefined : window;

export const env = {
  NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL || ENV_DEFAULTS.NEXT_PUBLIC_API_URL,
  NEXT_PUBLIC_API_PORT: toNumber(process.env.NEXT_PUBLIC_API_PORT, ENV_DEFAULTS.NEXT_PUBLIC_API_PORT),
  NEXT_PUBLIC_AGE_WARN_MINUTES: toNumber(process.env.NEXT_PUBLIC_AGE_WARN_MINUTES, ENV_DEFAULTS.NEXT_PUBLIC_AGE_WARN_MINUTES),
  NEXT_PUBLIC_AGE_ALERT_MINUTES: toNumber(process.env.NEXT_PUBLIC_AGE_ALERT_MINUTES, ENV_DEFAULTS.NEXT_PUBLIC_AGE_ALERT_MINUTES),
} as const;

export const API_ORIGIN = gatewayOrigin(
  {
    runtimeUrl: browser?.__LOM_API_URL__,
    runtimePort: browser?.__LOM_API_PORT__,
    buildUrl: env.NEXT_PUBLIC_API_URL,
    buildPort: env.NEXT_PUBLIC_API_PORT,
  },
  browser?.location,
);

export const API_BASE = `${API_ORIGIN}/api/v1`;
