/** The live connection's state as the badge shows it, from the link and the catch-up. Written only by useOrderEvents. */
import { createStore } from "@/lib/create-store";
import type { CatchUpState } from "./catch-up-machine";
import type { LinkState } from "./link-machine";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "catching-up" | "offline";

export const connectionStore = createStore<ConnectionState>("connecting");

/**
 * What to show: the link first (down: connecting, or reconnecting once it was up; the session
 * over: offline), then the catch-up (a replay or refetch running, or a planned one, or data read
 * again on screen: catching-up; the subscription acknowledged and nothing to repair: live).
 */
export function connectionStateOf(link: LinkState, catchUp: CatchUpState): ConnectionState {
  const waiting = link.connectedBefore ? "reconnecting" : "connecting";
  if (link.phase === "signed-out") return "offline";
  if (link.phase !== "connected") return waiting;
  if (catchUp.repair !== "none") return "catching-up";
  switch (catchUp.stream) {
    case "up":
      return "live";
    case "subscribing":
      return catchUp.planned !== "none" ? "catching-up" : catchUp.reconnected ? "reconnecting" : "connecting";
    case "rereading":
      return catchUp.rereadShown ? "catching-up" : "connecting";
    case "down":
      return waiting;
  }
}
