/**
 * Watches one order over its `clientCallbackUrl`, following docs/protocol.md (and
 * docs/contracts/order-websocket.asyncapi.json): on every open send `sync` with the cursor; feed
 * every frame to an OrderTimeline (which drops what it holds by seq and says when a sync is due); on
 * close, reconnect with backoff and jitter and resume from the cursor. A gap that a sync did not fill,
 * a sync refused (`rate_limited`, `internal`, or API Gateway's own frame: throttled, failed, forbidden)
 * and a sync left unanswered for SYNC_ANSWER_TIMEOUT_MS are asked for again with the same backoff,
 * never in a tight loop — so a gap never waits for the socket to close.
 *
 * Browser and Node ≥ 22 alike: it uses the platform's WebSocket and has no dependency, so a page's
 * bundle stays small.
 */
import { OrderTimeline, readServerFrame, SYNC_ANSWER_TIMEOUT_MS, type TimelineUpdate } from "./order-timeline.js";
import type * as Protocol from "./protocol.js";
import { reconnectDelay } from "./reconnect-delay.js";

export type StatusFrame = Protocol.StatusFrame;

export type ConnectionState =
  | { kind: "connecting"; attempt: number }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; inMs: number }
  | { kind: "closed" };

/** What the client tells its caller; every handler is optional. */
export type OrderClientEvents = {
  /** A status this client did not hold yet (duplicates are dropped). */
  onStatus?(frame: StatusFrame): void;
  onState?(state: ConnectionState): void;
  /**
   * An attempt ended before the socket opened: `$connect` refused it (400/401/403/429) or the network
   * is down. Neither a browser's nor Node's WebSocket shows the failed upgrade's HTTP status; ask
   * `GET /orders/{orderId}` with the token to tell a refused link (403) from a network failure, or,
   * in Node, pass the `ws` package's socket as `createSocket` and read its `unexpected-response`.
   * The client keeps retrying with backoff until `stop()`.
   */
  onOpenFailed?(consecutiveFailures: number): void;
  /** The link's token has expired (its expiry is readable without the secret): the client has stopped. */
  onExpired?(expiredAt: Date): void;
  /**
   * The server refused messages for a while: a `rate_limited` frame, or API Gateway's throttle
   * (`Too Many Requests`). The client syncs again after a backoff.
   */
  onRateLimited?(message: string): void;
  /**
   * Any other error frame (`bad_request`, `unknown_action`, `not_subscribed`, `internal`, or a code added
   * later), or `gateway` for a frame of API Gateway's own other than its throttle (`Internal server
   * error`, `Forbidden`, or anything that is not the protocol's), after which the client syncs again.
   */
  onServerError?(code: Protocol.ErrorCode | "gateway" | (string & {}), message: string): void;
  /** The order reached a terminal status and nothing is missing; the socket closes after `lingerMs`. */
  onFinished?(): void;
};

export type OrderClientOptions = {
  /** The `clientCallbackUrl` from `POST /orders`. */
  url: string;
  /** What the caller already holds (e.g. from storage); a new, empty timeline by default. */
  timeline?: OrderTimeline;
  events?: OrderClientEvents;
  /** After the terminal status the socket stays open this long, for a late status that sorts before it. */
  lingerMs?: number;
  /** The wait before reconnect attempt n (0, 1, …): exponential backoff with jitter by default. */
  delay?: (attempt: number) => number;
  /** The wait before the n-th repeated sync for the same gap; defaults to the reconnect backoff. */
  syncDelay?: (retry: number) => number;
  /** How long a sync may go unanswered before it is sent again (SYNC_ANSWER_TIMEOUT_MS, 30 s). */
  syncTimeoutMs?: number;
  /**
   * Opens a socket; the platform's WebSocket by default. Node callers may pass the `ws` package's
   * (its `unexpected-response` event shows a refused upgrade's HTTP status, which no platform
   * WebSocket does).
   */
  createSocket?: (url: string) => OrderSocket;
  now?: () => number;
};

/** What the client needs of a socket: the platform's WebSocket, or one with the same interface (`ws`). */
export type OrderSocket = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "error" | "close", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
};

const OPEN = 1;

/**
 * The token's expiry, if the URL carries one of the documented forms (docs/protocol.md): the third
 * part of `v2.<keyId>.<expiresAt>.<signature>`, or the first of the legacy `<expiresAt>.<signature>`
 * (handed out before v2, valid for at most a day after). Anything else is the server's to judge.
 */
export function linkExpiresAt(url: string): Date | undefined {
  let token: string | null;
  try {
    token = new URL(url).searchParams.get("token");
  } catch {
    return undefined;
  }
  const match = /^(?:v2\.[A-Za-z0-9_-]+\.)?(\d{1,12})\./.exec(token ?? "");
  return match ? new Date(Number(match[1]) * 1000) : undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The URL must be one the client may send the order's token to: `wss:` (or `ws:` to this machine, as
 * `npm start` serves it) and no user info. It is not checked against the shop's host: only the caller
 * knows that — take it from your own `POST /orders` answer, never from a link someone sent.
 */
function checkedUrl(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`watchOrder: "url" is not a URL; pass the clientCallbackUrl from POST /orders.`);
  }
  const local = parsed.protocol === "ws:" && LOOPBACK.has(parsed.hostname);
  if ((parsed.protocol !== "wss:" && !local) || parsed.username || parsed.password)
    throw new TypeError(
      `watchOrder: "url" must be a wss: URL (ws: only to 127.0.0.1, localhost or [::1]) without user info; got ${parsed.protocol}//${parsed.host}. Pass the clientCallbackUrl from POST /orders.`,
    );
  return url;
}

function orderIdOf(url: string) {
  try {
    return new URL(url).searchParams.get("orderId") ?? "";
  } catch {
    return "";
  }
}

export function watchOrder(options: OrderClientOptions) {
  const url = checkedUrl(options.url);
  const events = options.events ?? {};
  const timeline = options.timeline ?? new OrderTimeline(orderIdOf(url));
  const now = options.now ?? Date.now;
  const delay = options.delay ?? ((attempt: number) => reconnectDelay(attempt));
  const syncDelay = options.syncDelay ?? ((retry: number) => reconnectDelay(retry));
  const createSocket = options.createSocket ?? ((u: string): OrderSocket => new WebSocket(u));
  const expiresAt = linkExpiresAt(url);
  let socket: OrderSocket | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lingerTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let failedOpens = 0;
  let stopped = false;
  let finished = false;
  let opens = 0;
  /** Syncs sent since the cursor last moved: the backoff for a gap that does not fill. */
  let syncRetries = 0;
  let cursorAtLastSync = -1;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs out when the sync sent last has had no answer for `syncTimeoutMs`. */
  let answerTimer: ReturnType<typeof setTimeout> | undefined;
  const syncTimeoutMs = options.syncTimeoutMs ?? SYNC_ANSWER_TIMEOUT_MS;
  /** Gives up the current socket as if it had closed (see `connectionLost`). */
  let abandonSocket: (() => void) | undefined;
  let settle: () => void = () => {};
  const closed = new Promise<void>((resolve) => (settle = resolve));

  const expired = () => expiresAt !== undefined && expiresAt.getTime() <= now();

  const send = (current: OrderSocket) => {
    if (current.readyState !== OPEN) return;
    cursorAtLastSync = timeline.cursor;
    current.send(JSON.stringify(timeline.syncRequest()));
    clearTimeout(answerTimer);
    // A frame lost on the way (or an answer that never comes) must not hold the gap until the socket
    // closes, which can take hours: the sync is taken for lost and asked again, with the backoff.
    answerTimer = setTimeout(() => {
      answerTimer = undefined;
      if (socket !== current) return;
      timeline.syncLost();
      scheduleSync(current, { backOff: true });
    }, syncTimeoutMs);
  };

  /** Sends a sync now if the last one moved the cursor, else after a growing, jittered wait. */
  const scheduleSync = (current: OrderSocket, how: { backOff?: boolean } = {}) => {
    if (syncTimer !== undefined) return; // one is already due
    if (timeline.cursor > cursorAtLastSync && !how.backOff) syncRetries = 0;
    const wait = syncRetries === 0 && !how.backOff ? 0 : syncDelay(Math.max(0, syncRetries - 1));
    syncRetries++;
    const fire = () => {
      syncTimer = undefined;
      if (socket === current) send(current);
    };
    if (wait === 0) fire();
    else syncTimer = setTimeout(fire, wait);
  };

  const finishIfComplete = () => {
    if (finished || !timeline.terminal || timeline.hasGap) return;
    finished = true;
    events.onFinished?.();
    lingerTimer = setTimeout(() => stop(), options.lingerMs ?? 10_000);
  };

  /** An error frame or API Gateway's own: the sync it answered is over, unanswered. */
  const onRefusal = (current: OrderSocket, update: TimelineUpdate) => {
    const { error, gateway } = update;
    if (error?.code === "rate_limited" || gateway?.throttled) events.onRateLimited?.((error ?? gateway)!.message);
    else if (error) events.onServerError?.(error.code, error.message);
    else if (gateway) events.onServerError?.("gateway", gateway.message);
    // Too many requests, or a hiccup of the server or of API Gateway: ask again, later.
    if (update.syncRefused) scheduleSync(current, { backOff: true });
    // The connection was admitted for nothing (any more): a new socket with the same URL, after the backoff.
    if (error?.code === "not_subscribed") current.close(4000, "not subscribed");
  };

  const onFrame = (current: OrderSocket, data: unknown) => {
    const frame = readServerFrame(data);
    const update = timeline.apply(frame);
    // Every answer ends the wait for it; statuses are part of one (or pushes), `synced` its end.
    if (frame && frame.type !== "status") {
      clearTimeout(answerTimer);
      answerTimer = undefined;
    }
    if (update.error || update.gateway) onRefusal(current, update);
    if (update.added) events.onStatus?.(update.added);
    if (frame?.type === "synced") attempt = 0; // a full round trip: the connection is healthy
    if (update.syncNeeded) scheduleSync(current);
    finishIfComplete();
  };

  const endExpired = () => {
    events.onExpired?.(expiresAt!);
    stop();
  };

  const connect = () => {
    if (stopped) return;
    if (expired()) return endExpired();
    events.onState?.({ kind: "connecting", attempt });
    let opened = false;
    const current = createSocket(url);
    socket = current;
    current.addEventListener("open", () => {
      opened = true;
      opens++;
      failedOpens = 0;
      syncRetries = 0;
      events.onState?.({ kind: "live" });
      send(current);
    });
    current.addEventListener("message", (event) => onFrame(current, event.data));
    // A refused upgrade: browsers fire `error` then `close`; Node's WebSocket (undici) only `error`.
    current.addEventListener("error", () => {
      if (!opened) onGone();
    });
    current.addEventListener("close", () => onGone());
    abandonSocket = () => {
      onGone(); // first: the socket's own close, if it ever comes, is then no longer ours
      if (current.readyState <= OPEN) current.close(4001, "network lost");
    };
    function onGone() {
      if (socket !== current) return;
      socket = undefined;
      abandonSocket = undefined;
      clearTimeout(syncTimer);
      syncTimer = undefined;
      clearTimeout(answerTimer);
      answerTimer = undefined;
      if (stopped || finished) return stop();
      if (!opened) {
        if (expired()) return endExpired();
        failedOpens++;
        events.onOpenFailed?.(failedOpens);
        if (stopped) return; // the caller gave up
      }
      const inMs = delay(attempt);
      events.onState?.({ kind: "reconnecting", attempt: attempt + 1, inMs });
      attempt++;
      retryTimer = setTimeout(connect, inMs);
    }
  };

  /** Ends cleanly: no timer left, the socket closed with 1000. */
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(lingerTimer);
    clearTimeout(syncTimer);
    clearTimeout(answerTimer);
    const current = socket;
    socket = undefined;
    if (current && current.readyState <= OPEN) current.close(1000, "done");
    events.onState?.({ kind: "closed" });
    settle();
  };

  /** Skips the backoff wait (the browser is back online, the tab visible again). */
  const reconnectNow = () => {
    if (stopped || socket) return; // stopped, or an attempt is already under way
    clearTimeout(retryTimer);
    connect();
  };

  /**
   * The platform says the network is gone (a browser's `offline`). A socket whose network vanished
   * may never fire `close` (no TCP reset reaches the browser), and would show "live" while nothing can
   * arrive: it is given up at once, and the client waits to reconnect as after any close — until the
   * backoff ends or `reconnectNow()`. Nothing is lost: the next socket syncs from the cursor.
   */
  const connectionLost = () => {
    if (!stopped) abandonSocket?.();
  };

  connect();
  return {
    timeline,
    stop,
    reconnectNow,
    connectionLost,
    /** Resolves once the client has stopped (by `stop()`, after the terminal linger, or on expiry). */
    closed,
    /** How many times a socket opened. */
    get opens() {
      return opens;
    },
  };
}
export type OrderClient = ReturnType<typeof watchOrder>;

/**
 * In a browser: give the socket up when the network goes (`offline`), reconnect at once when it comes
 * back (`online`). Returns the unsubscriber; a no-op where there are no such events.
 */
export function reconnectWhenOnline(
  client: Pick<OrderClient, "reconnectNow" | "connectionLost">,
  target?: EventTarget,
) {
  const on = target ?? (globalThis as { window?: EventTarget }).window;
  if (!on) return () => {};
  const now = () => client.reconnectNow();
  const lost = () => client.connectionLost();
  on.addEventListener("online", now);
  on.addEventListener("offline", lost);
  return () => {
    on.removeEventListener("online", now);
    on.removeEventListener("offline", lost);
  };
}
