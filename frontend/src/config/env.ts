/**
 * Public configuration, validated with zod when Next loads its config (`next build`, `next dev`):
 * a bad value fails the build with a clear message. The validated values are inlined into the
 * client bundle by next.config.ts, so the browser reads them from `public-env.ts` without zod.
 */
import { z } from "zod";
import { ENV_DEFAULTS } from "./env-defaults";

const minutes = z.coerce.number().int().positive();

const schema = z
  .object({
    NEXT_PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).optional(),
    NEXT_PUBLIC_API_PORT: z.coerce.number().int().min(1).max(65_535).default(ENV_DEFAULTS.NEXT_PUBLIC_API_PORT),
    NEXT_PUBLIC_AGE_WARN_MINUTES: minutes.default(ENV_DEFAULTS.NEXT_PUBLIC_AGE_WARN_MINUTES),
    NEXT_PUBLIC_AGE_ALERT_MINUTES: minutes.default(ENV_DEFAULTS.NEXT_PUBLIC_AGE_ALERT_MINUTES),
  })
  .refine((env) => env.NEXT_PUBLIC_AGE_ALERT_MINUTES > env.NEXT_PUBLIC_AGE_WARN_MINUTES, {
    message: "must be greater than NEXT_PUBLIC_AGE_WARN_MINUTES",
    path: ["NEXT_PUBLIC_AGE_ALERT_MINUTES"],
  });

export type Env = Omit<z.infer<typeof schema>, "NEXT_PUBLIC_API_URL"> & {
  /** Empty when unset: the gateway is then on the page's own host (gateway-origin.ts). */
  NEXT_PUBLIC_API_URL: string;
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.keys(ENV_DEFAULTS)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new Error(`Invalid environment:\n${z.prettifyError(result.error)}`);
  }
  return { ...result.data, NEXT_PUBLIC_API_URL: (result.data.NEXT_PUBLIC_API_URL ?? "").replace(/\/+$/, "") };
}

/** The validated values as strings, for next.config's `env` (inlined at build time). */
export function publicEnvForBuild(source: Record<string, string | undefined>): Record<keyof Env, string> {
  const env = parseEnv(source);
  return {
    NEXT_PUBLIC_API_URL: env.NEXT_PUBLIC_API_URL,
    NEXT_PUBLIC_API_PORT: String(env.NEXT_PUBLIC_API_PORT),
    NEXT_PUBLIC_AGE_WARN_MINUTES: String(env.NEXT_PUBLIC_AGE_WARN_MINUTES),
    NEXT_PUBLIC_AGE_ALERT_MINUTES: String(env.NEXT_PUBLIC_AGE_ALERT_MINUTES),
  };
}
