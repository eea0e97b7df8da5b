/** The live connection's state as the badge shows it. Written only by useOrderEvents. */
import { createStore } from "@/lib/create-store";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "catching-up" | "offline";

export const connectionStore = createStore<ConnectionState>("connecting");
