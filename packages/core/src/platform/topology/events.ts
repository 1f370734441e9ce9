/** The EventBridge rules on the order bus: which function each status event reaches, and how failures retry. */
import * as OrderStatus from "../../status/event";
import type { FunctionName } from "./functions";

/**
 * How failures of the status target are retried. EventBridge invokes Lambda asynchronously, so the
 * function's async-invoke retries (at most 2) retry a handler that throws, and the rule target's own
 * policy retries an invocation Lambda did not accept. Both use these figures; both dead-letter to one queue.
 */
export const STATUS_TARGET_RETRY_POLICY = {
  retryAttempts: 2,
  maximumEventAgeSeconds: 60 * 60,
} as const;

export const EVENT_RULES = {
  OrderStatusToCallback: {
    pattern: OrderStatus.eventPattern,
    target: "OrderWSCallbackFunction",
    retryPolicy: STATUS_TARGET_RETRY_POLICY,
  },
  /** Keeps `OrdersTbl`'s current status, the projection behind `GET /orders/{orderId}`. */
  OrderStatusToProjection: {
    pattern: OrderStatus.eventPattern,
    target: "OrderStatusProjectionFunction",
    retryPolicy: STATUS_TARGET_RETRY_POLICY,
  },
} as const satisfies Record<string, { pattern: object; target: FunctionName; retryPolicy: object }>;
