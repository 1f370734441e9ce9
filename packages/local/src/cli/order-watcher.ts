/**
 * The `watch-order` client: the shared order client (`@awsomepets/client`: sync with the cursor,
 * de-duplication by seq, reconnect with backoff) turned into terminal lines and one outcome. It
 * hands the client the `ws` package's socket, whose `unexpected-response` shows a refused upgrade's
 * HTTP status, so that a wrong URL or token is named at once instead of retried.
 */
import WebSocket from "ws";
import { type OrderClient, OrderTimeline, watchOrder } from "@awsomepets/client";
import { statusLine } from "./status-line";
import { describeRefusal, isFinalRefusal } from "./upgrade-refusal";

export type WatchOutcome =
  | { kind: "finished" }
  | { kind: "stopped" }
  | { kind: "refused"; statusCode: number; message: string }
  | { kind: "expired"; message: string }
  | { kind: "unreachable"; message: string };

/**
 * Connection attempts before giving up when no socket has opened yet: a wrong URL or a stopped
 * runtime will not fix itself, and retrying it for ever hides the mistake. Once a socket has
 * opened, a dropped one is retried without end (the server may be restarting).
 */
export const FIRST_CONNECT_ATTEMPTS = 5;

/** After the terminal status, how long to keep listening for a late status that happened before it. */
export const TERMINAL_LINGER_MS = 1000;

export type OrderWatcher = {
  timeline: OrderTimeline;
  /** Resolves once the client has stopped and its socket is closed. */
  done: Promise<WatchOutcome>;
  /** Closes the socket (code 1000) and ends the watch with `stopped`. */
  stop(): void;
  /** The current socket, if any (tests close it to simulate a dropped connection). */
  socket(): WebSocket | undefined;
};

export function followOrderInTerminal(options: {
  url: string;
  orderId: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The wait before reconnect attempt n (0, 1, …); the client's backoff with jitter by default. */
  delay?: (attempt: number) => number;
  firstConnectAttempts?: number;
  lingerMs?: number;
}): OrderWatcher {
  const timeline = new OrderTimeline(options.orderId);
  const firstConnectAttempts = options.firstConnectAttempts ?? FIRST_CONNECT_ATTEMPTS;
  const firstConnectStarted = Date.now();
  let current: WebSocket | undefined;
  /** Why the current socket failed or closed, for the next line on stderr. */
  let lastFailure = "";
  let refusedWith: number | undefined;
  let outcome: WatchOutcome = { kind: "stopped" };
  let client: OrderClient | undefined;

  const end = (result: WatchOutcome) => {
    outcome = result;
    client?.stop();
  };

  const createSocket = (url: string) => {
    const socket = new WebSocket(url);
    current = socket;
    lastFailure = "";
    refusedWith = undefined;
    socket.on("unexpected-response", (_request, response) => {
      const statusCode = response.statusCode ?? 0;
      response.resume();
      refusedWith = statusCode;
      lastFailure = describeRefusal(statusCode);
      socket.terminate(); // ends the attempt: the client sees `error`, then `close`
    });
    socket.on("error", (error) => {
      if (refusedWith === undefined) lastFailure = error.message;
    });
    socket.on("close", (code) => {
      if (!lastFailure) lastFailure = `code ${code}`;
      if (current === socket) current = undefined;
    });
    return socket;
  };

  client = watchOrder({
    url: options.url,
    timeline,
    lingerMs: options.lingerMs ?? TERMINAL_LINGER_MS,
    delay: options.delay,
    createSocket,
    events: {
      onState: (state) => {
        if (state.kind === "live") options.err(`connected; syncing after #${timeline.cursor}`);
        if (state.kind === "reconnecting")
          options.err(`connection closed (${lastFailure || "no reason given"}); reconnecting in ${state.inMs} ms`);
      },
      onStatus: (frame) => options.out(statusLine(frame)),
      onRateLimited: (message) => options.err(`server error rate_limited: ${message}`),
      onServerError: (code, message) => options.err(`server error ${code}: ${message}`),
      onFinished: () => (outcome = { kind: "finished" }),
      onExpired: (expiredAt) =>
        (outcome = {
          kind: "expired",
          message: `the callback URL expired at ${expiredAt.toISOString()}: its token is valid for 24 h, so this link can no longer be watched`,
        }),
      onOpenFailed: (failures) => {
        if (refusedWith !== undefined && isFinalRefusal(refusedWith))
          return end({ kind: "refused", statusCode: refusedWith, message: describeRefusal(refusedWith) });
        if (client && client.opens > 0) return;
        if (failures < firstConnectAttempts) return;
        const seconds = ((Date.now() - firstConnectStarted) / 1000).toFixed(1);
        end({
          kind: "unreachable",
          message: `cannot connect to ${withoutQuery(options.url)} (${lastFailure}; ${failures} tries over ${seconds} s): is \`npm start\` running, and is the URL right?`,
        });
      },
    },
  });

  const done = client.closed.then(async () => {
    const socket = current;
    if (socket && socket.readyState !== WebSocket.CLOSED) await new Promise((resolve) => socket.once("close", resolve));
    return outcome;
  });
  return {
    timeline,
    done,
    stop: () => client.stop(),
    socket: () => current,
  };
}

/** The URL without its query: the token is a credential, and the order id is printed elsewhere. */
function withoutQuery(url: string) {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}
