/**
 * The client side of the protocol (docs/protocol.md), with no I/O so that the browser page, the
 * `watch-order` command and the tests share it: it keeps the statuses of one order, drops
 * duplicates by `seq`, keeps the cursor, and says when a `sync` is due.
 */
import * as Protocol from "./protocol.js";

/** The codes that refuse a message for now: the same `sync` sent again later is answered. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set<Protocol.ErrorCode>(["rate_limited", "internal"]);

/** API Gateway's text for a throttled message (THROTTLED's default body). */
export const GATEWAY_THROTTLED = "Too Many Requests";
/** The `message` of each frame API Gateway sends by itself over a WebSocket (see GatewayFrame in ./protocol). */
export const GATEWAY_MESSAGES = [GATEWAY_THROTTLED, "Internal server error", "Forbidden"] as const;

const PROTOCOL_TYPES: ReadonlySet<unknown> = new Set(["status", "synced", "error"]);

/**
 * Reads a frame the server side sent (a WebSocket message's data); never throws. The one place that
 * tells the protocol's frames from API Gateway's own (see GatewayFrame). The protocol's frames are
 * returned as they are (OrderTimeline checks the fields it uses); a frame with a `type` this version
 * does not know is `undefined`: a later addition to the protocol, ignored (API Gateway's have none).
 */
export function readServerFrame(data: unknown): Protocol.ReceivedFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(String(data));
  } catch {
    return gatewayFrame(String(data));
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return gatewayFrame(String(data));
  const { type, message } = json as Record<string, unknown>;
  if (type === undefined) return gatewayFrame(typeof message === "string" ? message : String(data));
  return PROTOCOL_TYPES.has(type) ? (json as Protocol.ServerFrame) : undefined;
}

const gatewayFrame = (message: string): Protocol.GatewayFrame => ({
  type: "gateway",
  message: message.slice(0, 256),
  throttled: message === GATEWAY_THROTTLED,
});

/**
 * How long a client waits for the answer to a `sync` (its `synced`, an error or a gateway frame) before
 * it takes the sync for lost and asks again. Every answer comes from one invocation of the sync route's
 * function, and API Gateway waits at most 29 s for a route's integration (its hard limit; the function's
 * own timeout, Topology's, is shorter): past 30 s no answer to that sync can still be on its way.
 */
export const SYNC_ANSWER_TIMEOUT_MS = 30_000;

export type TimelineUpdate = {
  /** The frame was a status this timeline did not hold yet. */
  added?: Protocol.StatusFrame;
  /** The frame repeated a seq this timeline already holds. */
  duplicate?: boolean;
  /** A status is missing (a seq above the cursor + 1 is held): send `syncRequest()`. */
  syncNeeded?: boolean;
  error?: { code: string; message: string };
  /** API Gateway answered a message itself (throttled, failed, forbidden): see GatewayFrame in ./protocol. */
  gateway?: { message: string; throttled: boolean };
  /**
   * The sync in flight ended without its answer (a gateway frame, `rate_limited`, `internal`): send
   * `syncRequest()` again, after a backoff — nothing else would ask for what it was to bring.
   */
  syncRefused?: boolean;
};

/**
 * An order has a handful of statuses, each one seq. A seq past this is not the shop's (a broken or hostile
 * server): held, it would make a gap no sync fills, and the timeline would grow without bound.
 */
export const MAX_SEQ = 1_000;
const isSeq = (seq: number) => Number.isInteger(seq) && seq >= 1 && seq <= MAX_SEQ;

export class OrderTimeline {
  private readonly bySeq = new Map<number, Protocol.StatusFrame>();
  private cursorValue = 0;
  private lastSeqValue = 0;
  /** A sync's answer arrives in occurrence order, not seq order: gaps during it are expected. */
  private syncInFlight = false;
  duplicatesDropped = 0;

  constructor(
    readonly orderId: string,
    held: Iterable<Protocol.StatusFrame> = [],
  ) {
    for (const frame of held) this.hold(frame);
  }

  /** Every seq from 1 to the cursor is held. */
  get cursor() {
    return this.cursorValue;
  }

  /** The statuses in occurrence order (`occurredAt`, then `seq`). */
  get statuses(): Protocol.StatusFrame[] {
    return [...this.bySeq.values()].sort(Protocol.byOccurrence);
  }

  get terminal(): Protocol.StatusFrame | undefined {
    return this.statuses.find((s) => Protocol.isTerminal(s.status));
  }

  /** Has a gap: some seq between the cursor and the highest known seq is missing. */
  get hasGap() {
    const highest = Math.max(this.lastSeqValue, ...this.bySeq.keys(), 0);
    return highest > this.cursorValue;
  }

  /** The `sync` to send (on every open, and when an update says `syncNeeded`). */
  syncRequest(): Protocol.SyncRequest {
    this.syncInFlight = true;
    return { action: "sync", orderId: this.orderId, after: this.cursorValue };
  }

  private hold(frame: Protocol.StatusFrame) {
    this.bySeq.set(frame.seq, frame);
    while (this.bySeq.has(this.cursorValue + 1)) this.cursorValue++;
  }

  /**
   * The client gave up waiting for the answer to its sync (SYNC_ANSWER_TIMEOUT_MS): it is no longer in
   * flight, so a gap is asked for again rather than taken for part of an answer that will not come.
   */
  syncLost() {
    this.syncInFlight = false;
  }

  /**
   * Applies one frame received, as readServerFrame reads it. Frames of another order are ignored.
   * Error and gateway frames answer the client's message — its sync — so each ends the sync in flight.
   */
  apply(frame: Protocol.ReceivedFrame | undefined): TimelineUpdate {
    if (!frame) return {};
    if (frame.type === "gateway") {
      this.syncInFlight = false;
      return { gateway: { message: frame.message, throttled: frame.throttled }, syncRefused: true };
    }
    if (frame.type === "error") {
      this.syncInFlight = false;
      const update: TimelineUpdate = { error: { code: frame.code, message: frame.message } };
      if (RETRYABLE_ERROR_CODES.has(frame.code)) update.syncRefused = true;
      return update;
    }
    if (frame.orderId !== this.orderId) return {};
    if (frame.type === "synced") {
      this.syncInFlight = false;
      if (isSeq(frame.lastSeq) || frame.lastSeq === 0) this.lastSeqValue = Math.max(this.lastSeqValue, frame.lastSeq);
      return { syncNeeded: this.hasGap };
    }
    if (!isSeq(frame.seq)) return {};
    if (this.bySeq.has(frame.seq)) {
      this.duplicatesDropped++;
      return { duplicate: true };
    }
    this.hold(frame);
    return { added: frame, syncNeeded: !this.syncInFlight && this.hasGap };
  }
}
