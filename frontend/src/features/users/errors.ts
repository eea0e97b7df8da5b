import type { MessageKey } from "@/lib/i18n/messages";
import { isApiError } from "@/lib/problem";

/** Field errors of a 422 keyed by form field (`roles[2]` counts as `roles`). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.status !== 422) return {};
  const fields: Record<string, string> = {};
  for (const { field, message } of error.fieldErrors) {
    const key = field.replace(/\[\d+\]$/, "");
    fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
  }
  return fields;
}

/** A message for the account problems users-service names (`type` ends in the kind). */
export function accountProblemKey(error: unknown): MessageKey | null {
  if (!isApiError(error)) return null;
  switch (error.kind) {
    case "email-taken":
      return "users.error.emailTaken";
    case "last-admin":
      return "users.error.lastAdmin";
    case "self-deactivation":
      return "users.error.selfDeactivation";
    default:
      if (error.status === 403) return "users.error.forbidden";
      if (error.status === 404) return "users.error.notFound";
      if (error.status === 422) return "users.error.fix";
      return null;
  }
}
