/**
 * Which function serves which WebSocket route and which event rule, with their handler modules and
 * the retry policy of the status target. The stack deploys exactly this; `npm start` runs exactly this.
 */
import * as OrderStatus from "./order-status";

/** The SST app name: stack names, resource names and SSM paths all start from it. */
export const APP_NAME = "awsomepets-callbacks";
export const stackName = (stage: string, stack: "Callbacks" | "Orders") => `${stage}-${APP_NAME}-${stack}`;

export const FUNCTIONS = {
  OrderWSConnectFunction: "packages/functions/src/websocket/connect.handler",
  OrderWSDisconnectFunction: "packages/functions/src/websocket/disconnect.handler",
  OrderWSPendingFunction: "packages/functions/src/websocket/pending.handler",
  OrderWSCallbackFunction: "packages/functions/src/events/order-status-callback.handler",
  OrderStatusProjectionFunction: "packages/functions/src/events/order-status-projection.handler",
  CreateOrderFunction: "packages/functions/src/orders/create-order.handler",
  GetOrderFunction: "packages/functions/src/orders/get-order.handler",
  GetCatalogueFunction: "packages/functions/src/orders/get-catalogue.handler",
  ReserveInventoryFunction: "packages/functions/src/workflow/steps.reserveInventory",
  ProcessPaymentFunction: "packages/functions/src/workflow/steps.processPayment",
  CompleteOrderFunction: "packages/functions/src/workflow/steps.completeOrder",
  ReleaseInventoryFunction: "packages/functions/src/workflow/steps.releaseInventory",
  ProcessRefundFunction: "packages/functions/src/workflow/steps.processRefund",
  CancelOrderFunction: "packages/functions/src/workflow/steps.cancelOrder",
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
  /** Keeps `OrdersTbl`'s current status, the projection behind `GET /orders/{orderId}`. */
  OrderStatusToProjection: {
    pattern: OrderStatus.eventPattern,
    target: "OrderStatusProjectionFunction",
    retryPolicy: STATUS_TARGET_RETRY_POLICY,
  },
} as const satisfies Record<string, { pattern: object; target: FunctionName; retryPolicy: object }>;

/** The order API (API Gateway HTTP API), `METHOD /path` with `{param}` segments. */
export const HTTP_ROUTES = {
  "POST /orders": "CreateOrderFunction",
  "GET /orders/{orderId}": "GetOrderFunction",
  "GET /catalogue": "GetCatalogueFunction",
} as const satisfies Record<string, FunctionName>;

/**
 * The order workflow: its ASL file, and the function behind each `${<State>FunctionArn}` placeholder.
 * The stack substitutes real ARNs; the local runtime runs the same states with the same modules.
 */
export const WORKFLOW = {
  name: "OrderWorkflow",
  definitionFile: "packages/core/src/order-workflow.asl.json",
  eventBusPlaceholder: "EventBusName",
  tasks: {
    ReserveInventory: "ReserveInventoryFunction",
    ProcessPayment: "ProcessPaymentFunction",
    CompleteOrder: "CompleteOrderFunction",
    ReleaseInventory: "ReleaseInventoryFunction",
    ProcessRefund: "ProcessRefundFunction",
    CancelOrder: "CancelOrderFunction",
  },
} as const satisfies { tasks: Record<string, FunctionName> } & Record<string, unknown>;

export const taskPlaceholder = (state: keyof typeof WORKFLOW.tasks) => `${state}FunctionArn`;
