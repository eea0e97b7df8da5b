/** Defaults for the public configuration; shared by the validator and the client (no zod here). */
export const ENV_DEFAULTS = {
  /**
   * The gateway origin. Empty: the page's own host name at NEXT_PUBLIC_API_PORT, so the refresh
   * cookie stays same-site whichever name the dashboard is opened with (see gateway-origin.ts).
   */
  NEXT_PUBLIC_API_URL: "",
  /** The gateway's port on the page's host, when no NEXT_PUBLIC_API_URL is given. */
  NEXT_PUBLIC_API_PORT: 8080,
  /** Minutes after which an open order's age turns amber. */
  NEXT_PUBLIC_AGE_WARN_MINUTES: 15,
  /** Minutes after which an open order's age turns red. */
  NEXT_PUBLIC_AGE_ALERT_MINUTES: 60,
} as const;
