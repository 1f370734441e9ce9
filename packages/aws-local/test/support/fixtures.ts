/**
 * A sample topology for the emulator tests, shaped like the one an app passes in (this package knows
 * no app): a status event, a rule pattern matching it, a retry policy, a WebSocket route table.
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";

export const EVENT_SOURCE = "awsomepets.orders";
export const DETAIL_TYPE = "Order Status Changed";
export const STATUS_PATTERN = { source: [EVENT_SOURCE], "detail-type": [DETAIL_TYPE] };
export const RETRY_POLICY = { retryAttempts: 2, maximumEventAgeSeconds: 3600 };

export type Status = "placed" | "reserved" | "paid" | "completed" | "cancelled";
/** Any event detail the bus may carry (extra fields included), to exercise the emulator. */
export type EventDetail = { orderId: string; status: Status; occurredAt: string; [field: string]: unknown };

export const statusEntry = (detail: EventDetail, busName: string): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: EVENT_SOURCE,
  DetailType: DETAIL_TYPE,
  Detail: JSON.stringify(detail),
});

export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";
export const WEBSOCKET_ROUTES = {
  $connect: "OrderWSConnectFunction",
  $disconnect: "OrderWSDisconnectFunction",
  $default: "OrderWSPendingFunction",
  sync: "OrderWSPendingFunction",
} as const;
