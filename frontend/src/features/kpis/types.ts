/**
 * The KPI shapes, generated from the gateway's OpenAPI document (`GET /orders/metrics`,
 * `src/lib/api-schema.ts`): aliases only, the Rust view is the one definition.
 */
import type { components } from "@/lib/api-schema";

type Schemas = components["schemas"];

export type OrderMetrics = Schemas["OrderMetrics"];
export type LeadTime = Schemas["LeadTime"];
export type AgeBand = Schemas["AgeBand"];
export type AssigneeLoad = Schemas["AssigneeLoad"];
