/**
 * The `watch-order` client: keeps one socket to the callback URL, syncs on every open with the
 * timeline's cursor, applies every frame, and reconnects with backoff when the socket closes
 * without having been asked to. Resolves once the order is finished, stopped, or refused.
 */
import WebSocket from "ws";
import { OrderTimeline } from "@awsomepets/core/index";
import { DEFAULT_BACKOFF, reconnectDelayMs, type BackoffOptions } from "./reconnect-delay";
import { describeRefusal, isFinalRefusal } from "./upgrade-refusal";
import { applyFrame } from "./watch-frame";

export type WatchOutcome =
  | { kind: "finished" }
  | { kind: "stopped" }
  | { kind: "refused"; statusCode: number; message: string }
  | { kind: "unreachable"; message: string };

/**
 * Connection attempts before giving up when no socket has opened yet: a wrong URL or a stopped
 * runtime will not fix itself, and retrying it for ever hides the mistake. Once a socket has
 * opened, a dropped one is retried without end (the server may be restarting).
 */
export const FIRST_CONNECT_ATTEMPTS = 5;

export type OrderWatcher = {
  timeline: OrderTimeline;
  done: Promise<WatchOutcome>;
  /** Closes the socket (code 1000) and ends the watch with `stopped`. */
  stop(): void;
  /** The open socket, if any (tests close it to simulate a dropped connection). */
  socket(): WebSocket | undefined;
};

export function watchOrder(options: {
  url: string;
  orderId: string;
  out: (line: string) => void;
  err: (line: string) => void;
  backoff?: BackoffOptions;
  random?: () => number;
  firstConnectAttempts?: number;
}): OrderWatcher {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const timeline = new OrderTimeline(options.orderId);
  let current: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let everOpened = false;
  const firstConnectAttempts = options.firstConnectAttempts ?? FIRST_CONNECT_ATTEMPTS;
  const firstConnectStarted = Date.now();
  let resyncAttempt = 0;
  let settled = false;
  let resolveDone!: (outcome: WatchOutcome) => void;
  const done = new Promise<WatchOutcome>((resolve) => (resolveDone = resolve));

  const settle = (outcome: WatchOutcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    const socket = current;
    if (!socket || socket.readyState === WebSocket.CLOSED) return resolveDone(outcome);
    socket.once("close", () => resolveDone(outcome));
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close(1000, "done");
  };

  const connect = () => {
    if (settled) return;
    const socket = new WebSocket(options.url);
    current = socket;
    let syncInFlight = false;
    let lastError: Error | undefined;
    const sync = () => {
      if (socket.readyState !== WebSocket.OPEN) return;
      syncInFlight = true;
      socket.send(JSON.stringify(timeline.syncRequest()));
    };

    socket.on("unexpected-response", (_request, response) => {
      const statusCode = response.statusCode ?? 0;
      response.resume();
      if (isFinalRefusal(statusCode)) settle({ kind: "refused", statusCode, message: describeRefusal(statusCode) });
      else {
        lastError = new Error(describeRefusal(statusCode));
        socket.terminate();
      }
    });
    socket.on("error", (error) => (lastError = error));
    socket.on("open", () => {
      attempt = 0;
      everOpened = true;
      options.err(`connected; syncing after #${timeline.cursor}`);
      sync();
    });
    socket.on("message", (data) => {
      const outcome = applyFrame(timeline, String(data));
      outcome.lines.forEach(options.out);
      outcome.warnings.forEach(options.err);
      if (outcome.synced) syncInFlight = false;
      if (outcome.finished) return settle({ kind: "finished" });
      if (outcome.sync === "now" && !syncInFlight) sync();
      if (outcome.sync === "later") {
        clearTimeout(timer);
        timer = setTimeout(sync, reconnectDelayMs(resyncAttempt++, random, backoff));
      }
      if (outcome.synced && !outcome.sync) resyncAttempt = 0;
    });
    socket.on("close", (code) => {
      if (current === socket) current = undefined;
      if (settled) return;
      clearTimeout(timer);
      const why = lastError ? lastError.message : `code ${code}`;
      if (!everOpened && attempt + 1 >= firstConnectAttempts) {
        const seconds = ((Date.now() - firstConnectStarted) / 1000).toFixed(1);
        return settle({
          kind: "unreachable",
          message: `cannot connect to ${withoutQuery(options.url)} (${why}; ${attempt + 1} tries over ${seconds} s): is \`npm start\` running, and is the URL right?`,
        });
      }
      const delay = reconnectDelayMs(attempt++, random, backoff);
      options.err(`connection closed (${why}); reconnecting in ${delay} ms`);
      timer = setTimeout(connect, delay);
    });
  };

  connect();
  return { timeline, done, stop: () => settle({ kind: "stopped" }), socket: () => current };
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
