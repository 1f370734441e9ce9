/**
 * The WebSocket message formats (JSON text frames) between the callback API and the browser.
 * docs/protocol.md explains them and why no status is lost or shown twice.
 */
import * as z from "zod/mini";
import type { SequencedRecord } from "../status/model";

export const SYNC_ACTION = "sync";

/**
 * Client → server: "send me every status after `after`". As in the seed's `$default`, any JSON object
 * without an `action` asks the same (the workshop's browser sent `{"orderId": "<id>"}`). The socket is
 * bound to its order at `$connect`, so `orderId` is optional; when given it must be that order.
 */
export const SyncRequest = z.looseObject({
  action: z.optional(z.literal(SYNC_ACTION)),
  orderId: z.optional(z.uuid()),
  after: z._default(z.int().check(z.minimum(0), z.maximum(1_000_000)), 0),
});
export type SyncRequest = { action?: typeof SYNC_ACTION; orderId?: string; after: number };

/** A status pushed to the client: a status record with its seq. */
export type StatusFrame = { type: "status" } & SequencedRecord;

/** Ends the answer to a `sync`: the client now holds every status up to `lastSeq`. */
export type SyncedFrame = { type: "synced"; orderId: string; lastSeq: number };

export const ERROR_CODES = ["bad_request", "unknown_action", "not_subscribed", "rate_limited", "internal"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string };

export type ServerFrame = StatusFrame | SyncedFrame | ErrorFrame;

/**
 * A frame API Gateway sends by itself in answer to a message it did not deliver, with no `type`:
 * `{"message": "Too Many Requests", "connectionId":…, "requestId":…}` (the stage's route throttle),
 * `{"message": "Internal server error", …}` (the route's function failed or timed out),
 * `{"message": "Forbidden", …}` (no route took the message). Any frame a client cannot read as one of
 * the protocol's (not JSON, not an object, no `type`) is taken for one: it answers a message, so a
 * client must not keep waiting for that message's answer. Read by order-timeline.ts's readServerFrame
 * (kept there, out of this module, so that a page's bundle has no zod).
 */
export type GatewayFrame = { type: "gateway"; message: string; throttled: boolean };

/** What a client received: one of the protocol's frames or a gateway frame. */
export type ReceivedFrame = ServerFrame | GatewayFrame;

export const encode = (frame: ServerFrame) => JSON.stringify(frame);

export const errorFrame = (code: ErrorCode, message: string): ErrorFrame => ({ type: "error", code, message });

export function toStatusFrame(entry: SequencedRecord): StatusFrame {
  const frame: StatusFrame = {
    type: "status",
    orderId: entry.orderId,
    status: entry.status,
    occurredAt: entry.occurredAt,
    seq: entry.seq,
  };
  if (entry.reason !== undefined) frame.reason = entry.reason;
  if (entry.amountPaid !== undefined) frame.amountPaid = entry.amountPaid;
  return frame;
}

/**
 * Reads a client frame. Returns a SyncRequest, or an error frame saying what is wrong; never throws,
 * whatever the body (API Gateway hands over any text, up to 128 KB).
 */
export function parseClientMessage(body: string | undefined | null): SyncRequest | ErrorFrame {
  let json: unknown;
  try {
    json = JSON.parse(body ?? "");
  } catch {
    return errorFrame("bad_request", 'Messages must be JSON objects, e.g. {"action":"sync","after":0}');
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return errorFrame("bad_request", "Messages must be JSON objects");
  }
  const action = Object.hasOwn(json, "action") ? (json as Record<string, unknown>).action : undefined;
  if (action !== undefined && action !== SYNC_ACTION) {
    return errorFrame(
      "unknown_action",
      `Unknown action ${JSON.stringify(action).slice(0, 64)}; the only action is "sync"`,
    );
  }
  const parsed = SyncRequest.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join(".")))].join(", ");
    return errorFrame(
      "bad_request",
      `Invalid sync request: check ${fields} ("orderId" is the order's UUID, "after" a seq ≥ 0)`.slice(0, 512),
    );
  }
  const request: SyncRequest = { after: parsed.data.after };
  if (parsed.data.action) request.action = parsed.data.action;
  if (parsed.data.orderId) request.orderId = parsed.data.orderId;
  return request;
}
