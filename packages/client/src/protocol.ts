/**
 * What the client needs of the service's model, in the package so that it has no run-time dependency:
 * the statuses (typed from the order API's document, docs/contracts/order-api.openapi.json), the
 * WebSocket frames (docs/protocol.md), the terminal set and the occurrence order. core's
 * status/model.ts and callbacks/protocol.ts are the source; test/protocol.test.ts checks that these agree.
 */
import type { components } from "./order-api.schema.js";

/** An order's status, as `GET /orders/{orderId}` and the status frames name it. */
export type Status = components["schemas"]["Order"]["status"];

/** One status of an order's history: what happened and when (`occurredAt`, UTC). */
export type HistoryRecord = components["schemas"]["Order"]["history"][number];

/** A status pushed over the WebSocket: a history record of one order with its `seq`, the client's cursor. */
export type StatusFrame = { type: "status"; orderId: string; seq: number } & HistoryRecord;

/** Ends the answer to a `sync`: every status up to `lastSeq` has been sent. */
export type SyncedFrame = { type: "synced"; orderId: string; lastSeq: number };

export type ErrorCode = "bad_request" | "unknown_action" | "not_subscribed" | "rate_limited" | "internal";
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string };

export type ServerFrame = StatusFrame | SyncedFrame | ErrorFrame;

/** A frame API Gateway sends by itself (no `type`: throttled, failed, forbidden), as readServerFrame reads it. */
export type GatewayFrame = { type: "gateway"; message: string; throttled: boolean };

/** What a client received: one of the protocol's frames or a gateway frame. */
export type ReceivedFrame = ServerFrame | GatewayFrame;

/** Client → server: every status after `after`. */
export type SyncRequest = { action: "sync"; orderId: string; after: number };

export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(["completed", "cancelled"]);
export const isTerminal = (status: Status) => TERMINAL_STATUSES.has(status);

/** Occurrence order: by `occurredAt` (UTC, so a string comparison is a time comparison), then by seq. */
export const byOccurrence = (a: Pick<StatusFrame, "occurredAt" | "seq">, b: Pick<StatusFrame, "occurredAt" | "seq">) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq;
