/** Auth DTOs (SPEC §4 Auth), generated from the gateway's OpenAPI document (`src/lib/api-schema.ts`). */
import type { components } from "@/lib/api-schema";

type Schemas = components["schemas"];

/** The signed-in account (`GET /auth/me`, and `user` of a session). */
export type User = Schemas["UserView"];

export type LoginInput = Schemas["LoginRequest"];

/** `POST /auth/login` and `POST /auth/refresh`: the refresh token travels only as the cookie. */
export type LoginResponse = Schemas["PublicSession"];
