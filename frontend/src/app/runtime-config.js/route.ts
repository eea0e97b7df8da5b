/**
 * `GET /runtime-config.js`: the gateway origin chosen when the server starts, for a build that
 * runs somewhere its build-time `NEXT_PUBLIC_API_URL` does not fit (another host or port: a
 * container, the browser tests). `LOM_API_URL` (read at run time, http/https) sets
 * `self.__LOM_API_URL__`, which `public-env.ts` prefers; unset, the script is empty and the
 * inlined value applies. The root layout loads it before the app's own scripts.
 */
import { runtimeApiUrl } from "@/config/runtime-api-url";

export const dynamic = "force-dynamic";

export function GET(): Response {
  const url = runtimeApiUrl(process.env.LOM_API_URL);
  const body = url ? `self.__LOM_API_URL__=${JSON.stringify(url)};\n` : "";
  return new Response(body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}
