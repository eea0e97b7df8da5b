/** Defaults for the public configuration; shared by the validator and the client (no zod here). */
export const ENV_DEFAULTS = {
  NEXT_PUBLIC_API_URL: "http://localhost:8080",
  /** Minutes after which an open order's age turns amber. */
  NEXT_PUBLIC_AGE_WARN_MINUTES: 15,
  /** Minutes after which an open order's age turns red. */
  NEXT_PUBLIC_AGE_ALERT_MINUTES: 60,
} as const;
