/**
 * Which function serves which WebSocket route and which event rule, with their handler modules and
 * the retry policy of the status target. The stack deploys exactly this; `npm start` runs exactly this.
 */
import * as OrderStatus from "./order-status";

export const FUNCTIONS = {
  OrderWSConnectFunction: "packages/functions/src/websocket/connect.handler",
  OrderWSDisconnectFunction: "packages/functions/src/websocket/disconnect.handler",
  OrderWSPendingFunction: "packages/functions/src/websocket/pending.handler",
  OrderWSCallbackFunction: "packages/functions/src/events/order-status-callback.handler",
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** API Gateway selects a route by the message's `action`, falling back to `$default`. */
export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";
export const WEBSOCKET_ROUTES = {
  $connect: "OrderWSConnectFunction",
  $disconnect: "OrderWSDisconnectFunction",
  $default: "OrderWSPendingFunction",
  sync: "OrderWSPendingFunction",
} as const satisfies Record<string, FunctionName>;

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
} as const satisfies Record<string, { pattern: object; target: FunctionName; retryPolicy: object }>;
