/**
 * `GET /runtime-config.js`: the gateway chosen when the server starts, for a build that runs
 * somewhere its build-time choice does not fit (another host or port: a container, the browser
 * tests). `LOM_API_URL` (http/https origin) sets `self.__LOM_API_URL__`; `LOM_API_PORT` (the
 * gateway's port on the page's own host) sets `self.__LOM_API_PORT__`; `public-env.ts` prefers
 * them to the inlined values. Unset, the script is empty. The root layout loads it before the
 * app's own scripts.
 */
import { runtimeApiPort, runtimeApiUrl } from "@/config/runtime-api-url";

export const dynamic = "force-dynamic";

export function GET(): Response {
  const url = runtimeApiUrl(process.env.LOM_API_URL);
  const port = runtimeApiPort(process.env.LOM_API_PORT);
  let body = url ? `self.__LOM_API_URL__=${JSON.stringify(url)};\n` : "";
  if (port) body += `self.__LOM_API_PORT__=${port};\n`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}
