/**
 * The function registry: each function's handler module and its runtime (timeout, memory, reserved
 * concurrency). The stacks deploy exactly these; `npm start` runs and enforces the same.
 */
export const FUNCTIONS = {
  OrderWSConnectFunction: "packages/functions/src/websocket/connect.handler",
  OrderWSAuthorizerFunction: "packages/functions/src/websocket/authorizer.handler",
  OrderWSDisconnectFunction: "packages/functions/src/websocket/disconnect.handler",
  OrderWSPendingFunction: "packages/functions/src/websocket/sync.handler",
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

/**
 * Functions that run only while CloudFormation deploys a stack (custom resources): declared like the
 * others (a handler here, a runtime in FUNCTION_RUNTIME), never run by `npm start`.
 */
export const DEPLOY_FUNCTIONS = {
  /** Sets API Gateway's account-wide CloudWatch role once per account and region (stacks/api-gateway-account.ts). */
  ApiGatewayAccountFunction: "packages/functions/src/deploy/api-gateway-account.handler",
} as const;
export type DeployFunctionName = keyof typeof DEPLOY_FUNCTIONS;

type FunctionRuntime = {
  /** Lambda's timeout: the invocation is killed after it. Route functions stay well inside API Gateway's 29 s. */
  timeoutSeconds: number;
  /**
   * Lambda's memory (MB), which also sets its CPU share; billed as GB-seconds. One execution environment's, never
   * shared.
   */
  memoryMB: number;
  /** Reserved concurrency, only where a function must be capped or guaranteed; otherwise the account's pool. */
  reservedConcurrency?: number;
};

/**
 * Each function's runtime settings, declared once: the stacks deploy exactly these and `npm start`
 * enforces the same timeouts. Nothing is left on a framework default (SST's is 10 s and 1,024 MB).
 * Why each figure: docs/decisions/function-memory-and-timeouts.md.
 */
export const FUNCTION_RUNTIME = {
  OrderWSConnectFunction: { timeoutSeconds: 10, memoryMB: 512 },
  OrderWSAuthorizerFunction: { timeoutSeconds: 3, memoryMB: 128 },
  OrderWSDisconnectFunction: { timeoutSeconds: 10, memoryMB: 256 },
  OrderWSPendingFunction: { timeoutSeconds: 15, memoryMB: 512 },
  OrderWSCallbackFunction: { timeoutSeconds: 30, memoryMB: 512 },
  OrderStatusProjectionFunction: { timeoutSeconds: 10, memoryMB: 256 },
  CreateOrderFunction: { timeoutSeconds: 10, memoryMB: 512 },
  GetOrderFunction: { timeoutSeconds: 10, memoryMB: 512 },
  GetCatalogueFunction: { timeoutSeconds: 5, memoryMB: 256 },
  ReserveInventoryFunction: { timeoutSeconds: 10, memoryMB: 128 },
  ProcessPaymentFunction: { timeoutSeconds: 10, memoryMB: 128 },
  CompleteOrderFunction: { timeoutSeconds: 10, memoryMB: 128 },
  ReleaseInventoryFunction: { timeoutSeconds: 10, memoryMB: 128 },
  ProcessRefundFunction: { timeoutSeconds: 10, memoryMB: 128 },
  CancelOrderFunction: { timeoutSeconds: 10, memoryMB: 128 },
  // At deploy only: a few API calls, then retries while a new IAM role propagates (seconds to a
  // minute); it answers CloudFormation before its timeout whatever happens.
  ApiGatewayAccountFunction: { timeoutSeconds: 180, memoryMB: 256 },
} as const satisfies Record<FunctionName | DeployFunctionName, FunctionRuntime>;
