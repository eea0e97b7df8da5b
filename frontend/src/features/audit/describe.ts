import type { MessageKey } from "@/lib/i18n/messages";

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** What an entry's `details` say, one short phrase per change, in the viewer's language. */
export function describeDetails(details: Record<string, unknown>, t: Translate): string[] {
  const phrases: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (key === "display_name" && typeof value === "string") phrases.push(t("audit.detail.name", { name: value }));
    else if (key === "roles" && Array.isArray(value)) phrases.push(t("audit.detail.roles", { roles: value.join(", ") }));
    else if (key === "active" && typeof value === "boolean") phrases.push(t(value ? "audit.detail.reactivated" : "audit.detail.deactivated"));
    else if (key === "password") phrases.push(t("audit.detail.passwordReset"));
    else if (key === "email" && typeof value === "string") phrases.push(t("audit.detail.email", { email: value }));
    else if (key === "revoked" && typeof value === "number") phrases.push(t("audit.detail.sessionsRevoked", { count: value }));
    else if (key !== "family_id") phrases.push(`${key}: ${JSON.stringify(value)}`);
  }
  return phrases;
}
