/**
 * The transport: the Socket.IO socket to the gateway and the token behind it. Every (re)connect
 * sends the current token and stream position and asks for batches (`auth {token, last_seq,
 * batch}`); a refused handshake or
 * a socket the server closed leads to a token refresh and a new attempt, with backoff, as
 * `link-machine.ts` decides. Says when the socket is up or down and when the session is over;
 * knows nothing of orders, caches or catch-up.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { INITIAL_LINK, linkTransition, type LinkEffect, type LinkEvent, type LinkState, type LinkTiming } from "./link-machine";

export interface SocketTransportOptions {
  url: string;
  getToken(): string | null;
  /** The stream position to resume from, sent in every handshake. */
  getLastSeq(): number | null;
  /** Gets a new access token (the API client's shared refresh). */
  refreshToken(): Promise<unknown>;
  /** Whether a `refreshToken()` failure means the session is over. */
  isSessionRefused(error: unknown): boolean;
  /** The refresh was refused: the server ended the session. */
  onSessionEnded(): void;
  /** The socket is up: `reconnected` when it was up before. */
  onUp(reconnected: boolean): void;
  onDown(): void;
  /** After every change of the link's state. */
  onChange(link: LinkState): void;
  timing: LinkTiming;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface SocketTransport {
  readonly socket: Socket;
  readonly link: LinkState;
  open(): void;
  close(): void;
}

export function createSocketTransport(options: SocketTransportOptions): SocketTransport {
  const socket = io(options.url, {
    path: "/socket.io",
    transports: ["websocket"],
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    // A function, so every (re)connect sends the current token and stream position; `batch`:
    // events that wait together at the gateway may come as one `orders.batch`.
    auth: (send) => send({ token: options.getToken(), last_seq: options.getLastSeq() ?? undefined, batch: true }),
    ...options.socketOptions,
  });
  let link = INITIAL_LINK;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const run = (effect: LinkEffect) => {
    switch (effect.type) {
      case "refresh":
        options.refreshToken().then(
          () => dispatch({ type: "refreshed" }),
          (error: unknown) => dispatch({ type: options.isSessionRefused(error) ? "refresh-refused" : "refresh-failed" }),
        );
        return;
      case "connect":
        socket.connect();
        return;
      case "wait":
        cancelTimer();
        timer = setTimeout(() => {
          timer = undefined;
          dispatch({ type: "timer" });
        }, effect.minMs + Math.random() * (effect.maxMs - effect.minMs));
        return;
      case "cancel-timer":
        cancelTimer();
        return;
      case "end-session":
        options.onSessionEnded();
        return;
    }
  };

  function dispatch(event: LinkEvent) {
    const before = link;
    const step = linkTransition(link, event, options.timing);
    link = step.state;
    if (link !== before && link.phase !== "closed") options.onChange(link);
    step.effects.forEach(run);
  }

  socket.on("connect", () => {
    if (link.phase === "closed" || link.phase === "signed-out") return;
    // The stream first, so the state reported once the link is up already says what it does.
    options.onUp(link.connectedBefore);
    dispatch({ type: "connected" });
  });
  socket.on("disconnect", (reason) => {
    if (link.phase === "closed") return;
    options.onDown();
    dispatch({ type: "dropped", byServer: reason === "io server disconnect" });
  });
  socket.on("connect_error", (error) => {
    dispatch({ type: "refused", unauthorized: error.message === "unauthorized", socketRetries: socket.active });
  });

  return {
    socket,
    get link() {
      return link;
    },
    open() {
      options.onChange(link);
      socket.connect();
    },
    close() {
      dispatch({ type: "close" });
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
