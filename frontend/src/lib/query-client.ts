import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./problem";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Retry network hiccups and 5xx, never 4xx (a 403 or 404 will not heal).
        retry: (failures, error) => failures < 3 && (!isApiError(error) || error.status === 0 || error.status >= 500),
        refetchOnWindowFocus: false,
      },
      // A change is sent now or not at all: never paused offline and sent later behind the user's back.
      mutations: { retry: false, networkMode: "always" },
    },
  });
}
