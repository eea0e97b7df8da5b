/**
 * The audit log, generated from the gateway's OpenAPI document (`src/lib/api-schema.ts`;
 * users-service's `AuditPage` and `AuditEntryView` are the source).
 */
import { pathsApiV1AuditGetParametersQueryActionValues, type components } from "@/lib/api-schema";

type Schemas = components["schemas"];

export type AuditEntry = Schemas["AuditEntryView"];
export type AuditPage = Schemas["AuditPage"];

/** The actions the log records, as `GET /audit?action=` accepts them. */
export const AUDIT_ACTIONS = pathsApiV1AuditGetParametersQueryActionValues;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
