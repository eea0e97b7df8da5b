/**
 * The audit log, generated from the gateway's OpenAPI document (`src/lib/api-schema.ts`):
 * account actions from users-service (`AuditPage`, `AuditEntryView`) and order actions from
 * orders-service (`OrderAuditPage`, `OrderActionView`).
 */
import {
  pathsApiV1AuditGetParametersQueryActionValues,
  pathsApiV1OrdersAuditGetParametersQueryActionValues,
  type components,
} from "@/lib/api-schema";

type Schemas = components["schemas"];

export type AuditEntry = Schemas["AuditEntryView"];
export type AuditPage = Schemas["AuditPage"];
export type OrderActionEntry = Schemas["OrderActionView"];
export type OrderAuditPage = Schemas["OrderAuditPage"];

/** The actions the log records, as `GET /audit?action=` accepts them. */
export const AUDIT_ACTIONS = pathsApiV1AuditGetParametersQueryActionValues;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The order actions, as `GET /orders/audit?action=` accepts them. */
export const ORDER_AUDIT_ACTIONS = pathsApiV1OrdersAuditGetParametersQueryActionValues;
export type OrderAuditAction = (typeof ORDER_AUDIT_ACTIONS)[number];

export function isOrderAuditAction(value: string): value is OrderAuditAction {
  return (ORDER_AUDIT_ACTIONS as readonly string[]).includes(value);
}
