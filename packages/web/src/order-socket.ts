/// <reference lib="dom.iterable" />
/**
 * The live connection for one order, following docs/protocol.md: on every open send `sync` with the
 * timeline's cursor; feed every frame to the timeline (which drops duplicates and says when a sync
 * is due); on close, reconnect with backoff and jitter and resume from the cursor. A gap that a
 * sync did not fill (or a `rate_limited` answer) is asked for again with the same backoff and
 * jitter, never in a tight loop: a status that never comes costs a sync every 15 s at most.
 */
import type { OrderTimeline } from "@awsomepets/core/order-timeline";
import type { ServerFrame, StatusFrame } from "@awsomepets/core/protocol";
import { reconnectDelay } from "./reconnect-delay";

export type ConnectionState =
  | { kind: "connecting"; attempt: number }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; inMs: number }
  | { kind: "closed" };

export type OrderSocketEvents = {
  onStatus(frame: StatusFrame): void;
  onState(state: ConnectionState): void;
  /** An attempt ended before the socket opened (refused upgrade, network down): the caller may check the order over HTTP. */
  onOpenFailed(consecutiveFailures: number): void;
  /** The timeline is terminal and has no gap. */
  onFinished(): void;
  /** An error frame; codes this page does not know are reported here and otherwise ignored. */
  onProtocolError?(code: string, message: string): void;
};

export type OrderSocketOptions = {
  url: string;
  timeline: OrderTimeline;
  events: OrderSocketEvents;
  /** After the terminal status the socket stays open this long, for a late status that sorts before it. */
  lingerMs?: number;
  delay?: (attempt: number) => number;
  /** The wait before the n-th repeated sync for the same gap (n = 0, 1, …); defaults to the reconnect backoff. */
  syncDelay?: (retry: number) => number;
  createSocket?: (url: string) => WebSocket;
};

export function openOrderSocket(options: OrderSocketOptions) {
  const { url, timeline, events } = options;
  const delay = options.delay ?? ((attempt: number) => reconnectDelay(attempt));
  const syncDelay = options.syncDelay ?? ((retry: number) => reconnectDelay(retry));
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u));
  let socket: WebSocket | undefined;
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

  const send = (socketToUse: WebSocket) => {
    if (socketToUse.readyState !== WebSocket.OPEN) return;
    cursorAtLastSync = timeline.cursor;
    socketToUse.send(JSON.stringify(timeline.syncRequest()));
  };

  /** Sends a sync now if the last one moved the cursor, else after a growing, jittered wait. */
  const scheduleSync = (current: WebSocket, options: { backOff?: boolean } = {}) => {
    if (syncTimer !== undefined) return; // one is already due
    if (timeline.cursor > cursorAtLastSync && !options.backOff) syncRetries = 0;
    const wait = syncRetries === 0 && !options.backOff ? 0 : syncDelay(Math.max(0, syncRetries - 1));
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
    events.onFinished();
    lingerTimer = setTimeout(() => stop(), options.lingerMs ?? 10_000);
  };

  const onFrame = (current: WebSocket, data: unknown) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return; // not a protocol frame: nothing to show
    }
    if (!frame || typeof frame !== "object") return;
    const update = timeline.apply(frame);
    if (update.error) onError(current, update.error.code, update.error.message);
    if (update.added) events.onStatus(update.added);
    if (frame.type === "synced") attempt = 0; // a full round trip: the connection is healthy
    if (update.syncNeeded) scheduleSync(current);
    finishIfComplete();
  };

  const onError = (current: WebSocket, code: string, message: string) => {
    events.onProtocolError?.(code, message);
    // Too many requests, or a server hiccup: ask again, later.
    if (code === "rate_limited" || code === "internal") scheduleSync(current, { backOff: true });
    // The connection was admitted for nothing (any more): a new socket with the same URL, after the backoff.
    if (code === "not_subscribed") current.close(4000, "not subscribed");
    // Anything else (bad_request, unknown_action, codes added later) leaves the connection as it is.
  };

  const connect = () => {
    if (stopped) return;
    events.onState({ kind: "connecting", attempt });
    let opened = false;
    const current = createSocket(url);
    socket = current;
    current.addEventListener("open", () => {
      opened = true;
      opens++;
      failedOpens = 0;
      syncRetries = 0;
      events.onState({ kind: "live" });
      send(current);
    });
    current.addEventListener("message", (event) => onFrame(current, event.data));
    current.addEventListener("close", () => {
      if (socket !== current) return;
      socket = undefined;
      clearTimeout(syncTimer);
      syncTimer = undefined;
      if (stopped || finished) {
        stop();
        return;
      }
      if (!opened) {
        failedOpens++;
        events.onOpenFailed(failedOpens);
        if (stopped) return; // the caller gave up on the socket
      }
      const inMs = delay(attempt);
      events.onState({ kind: "reconnecting", attempt: attempt + 1, inMs });
      attempt++;
      retryTimer = setTimeout(connect, inMs);
    });
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(lingerTimer);
    clearTimeout(syncTimer);
    const current = socket;
    socket = undefined;
    if (current && current.readyState <= WebSocket.OPEN) current.close(1000, "done");
    events.onState({ kind: "closed" });
  };

  /** Skips the backoff wait (the browser came back online). */
  const reconnectNow = () => {
    if (stopped || socket) return; // stopped, or an attempt is already under way
    clearTimeout(retryTimer);
    connect();
  };

  connect();
  return { stop, reconnectNow, get opens() { return opens; } };
}
export type OrderSocket = ReturnType<typeof openOrderSocket>;
