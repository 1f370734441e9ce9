/**
 * Which function serves which WebSocket route and which event rule, with their handler modules and
 * the retry policy of the status target. The stack deploys exactly this; `npm start` runs exactly this.
 */
import * as OrderStatus from "../status/event";
import { HEADER as ORIGIN_VERIFY_HEADER } from "./origin-verify";

/** The SST app name: stack names, resource names and SSM paths all start from it. */
export const APP_NAME = "awsomepets-callbacks";
export const stackName = (stage: string, stack: "Callbacks" | "Orders") => `${stage}-${APP_NAME}-${stack}`;

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

/**
 * The IAM role API Gateway writes WebSocket logs with, when the account and region has none set: IAM
 * is global, so one role of this name serves every region; it belongs to no stage (no stack removes it).
 */
export const API_GATEWAY_LOGS_ROLE_NAME = `${APP_NAME}-apigateway-cloudwatch-logs`;

/** API Gateway ends a route's integration after 29 s (WebSocket and HTTP APIs alike); the function may run on. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

type FunctionRuntime = {
  /** Lambda's timeout: the invocation is killed after it. Route functions stay well inside API Gateway's 29 s. */
  timeoutSeconds: number;
  /** Lambda's memory (MB), which also sets its CPU share; billed as GB-seconds. One execution environment's, never shared. */
  memoryMB: number;
  /** Reserved concurrency, only where a function must be capped or guaranteed; otherwise the account's pool. */
  reservedConcurrency?: number;
};

/**
 * Each function's runtime settings, declared once: the stacks deploy exactly these and `npm start`
 * enforces the same timeouts. Nothing is left on a framework default (SST's is 10 s and 1,024 MB).
 * - Route functions (WebSocket, HTTP) answer a person waiting: 10–15 s, far inside API Gateway's 29 s.
 * - The callback is invoked asynchronously by EventBridge: one post may take 3 attempts × 5 s, so it
 *   has 30 s, and bounds every call by the time it has left (it fails as retryable, never killed).
 *
 * Memory, from measurement (`npm run bench -- --only cost`): Lambda gives memory/1,769 MB of a vCPU,
 * so a handler's duration is its CPU time stretched by 1,769/memory plus its waiting (DynamoDB,
 * `@connections`). Below 1,769 MB the CPU part costs the same GB-seconds at any memory and only the
 * waiting part scales with it: the cheapest memory is the smallest whose latency and cold start are
 * acceptable. A cold start imports 90–130 ms of CPU at one core, ~0.3–0.45 s at 512 MB.
 * - 512 MB where a customer waits on the cold start: `$connect`, `sync` (pending), `POST /orders`,
 *   `GET /orders/{id}`.
 * - 512 MB for the callback (was 1,024): it mostly waits on its posts and writes; nobody waits on its
 *   cold start beyond the status's own latency.
 * - 256 MB for the projection and `$disconnect`: one small write each, nobody waiting.
 * - 128 MB (Lambda's least) for the saga's steps: a few ms of CPU and one or two reads or writes of
 *   the order's item, Step Functions waiting.
 * - 128 MB and 3 s for `$connect`'s authorizer: it only reads the query (no SDK client, nothing to
 *   wait on), so a run takes milliseconds; every connection waits on it, so a stuck one fails the
 *   upgrade (500, the client retries) in 3 s rather than holding it for `$connect`'s 10.
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

/**
 * The wiring contract: each function's environment variables — their names, what they point at, and
 * which function reads which. The stacks build each function's environment from it, the local runtime
 * sets the same variables to its endpoints, the handlers read them through it, and the tests too.
 */
export const ENV = {
  /** `ClientCallbackTbl`'s name. */
  clientCallbackTable: "CLIENT_CALLBACK_TABLE",
  /** The WebSocket stage's `@connections` endpoint, `https://{api}.execute-api.{region}.amazonaws.com/{stage}`. */
  managementEndpoint: "WEBSOCKET_MANAGEMENT_ENDPOINT",
  /** The stage's WebSocket URL (`wss://…/stage`), the base of every `clientCallbackUrl`. */
  websocketUrl: "WEBSOCKET_URL",
  /** `OrdersTbl`'s name. */
  ordersTable: "ORDERS_TABLE",
  /** The order workflow's state machine ARN. */
  stateMachineArn: "STATE_MACHINE_ARN",
  /** The order event bus's name. */
  eventBusName: "EVENT_BUS_NAME",
  /** Tunable (optional): how long an order's callback state is kept after its last write, seconds. */
  historyRetentionSeconds: "HISTORY_RETENTION_SECONDS",
  /** Tunable (optional): how long an order's item (and with it the basket and address) is kept after it was placed, days. */
  orderRetentionDays: "ORDER_RETENTION_DAYS",
  /** Tunable (optional): posts in flight at once per fan-out. */
  fanoutConcurrency: "FANOUT_CONCURRENCY",
  /** Tunable (optional): sockets one order may have open at once (`$connect` answers 429 past it). */
  maxConnectionsPerOrder: "MAX_CONNECTIONS_PER_ORDER",
  /** Tunable (optional): `sync` messages per second one socket may send, and its burst. */
  syncRatePerSecond: "SYNC_RATE_PER_SECOND",
  syncBurst: "SYNC_BURST",
  /** The stage's name, bound into every callback token (a token of one stage opens nothing on another). */
  stage: "ORDER_STAGE",
  /**
   * `true` unless the stage was deployed as disposable (`DEPLOY_ENV.disposableStage`): a stage that
   * keeps data refuses the app-wide fallback secret at run time as at deploy (see `stageKeepsData`).
   */
  stageKeepsData: "STAGE_KEEPS_DATA",
  /**
   * The value the edge adds to every request it passes to the APIs (`OriginVerify.HEADER`): the
   * functions behind a route that costs refuse a request without it (core's platform/origin-verify.ts).
   */
  originVerify: "ORIGIN_VERIFY",
} as const;
export type Setting = keyof typeof ENV;

/** Settings with a default in core; every other setting must be given. */
export const OPTIONAL_SETTINGS = new Set<Setting>([
  "historyRetentionSeconds",
  "orderRetentionDays",
  "fanoutConcurrency",
  "maxConnectionsPerOrder",
  "syncRatePerSecond",
  "syncBurst",
]);

/** The Powertools service (logs' `service`, metrics' dimension) each function belongs to. */
export const SERVICES = { callbacks: "order-callbacks", orders: "orders" } as const;
export const METRICS_NAMESPACE = "AWSomePets";

type Wiring = { service: (typeof SERVICES)[keyof typeof SERVICES]; settings: readonly Setting[] };
const callbacks = (...settings: Setting[]): Wiring => ({ service: SERVICES.callbacks, settings });
const orders = (...settings: Setting[]): Wiring => ({ service: SERVICES.orders, settings });

export const WIRING = {
  // The three that sign or verify callback tokens also get the stage bound into them, and whether it
  // keeps data (which refuses the fallback secret).
  OrderWSConnectFunction: callbacks(
    "clientCallbackTable",
    "managementEndpoint",
    "historyRetentionSeconds",
    "maxConnectionsPerOrder",
    "stage",
    "stageKeepsData",
  ),
  // The functions that refuse a request that went around the edge (`originVerify`, core's platform/origin-verify.ts).
  OrderWSAuthorizerFunction: callbacks("originVerify"),
  OrderWSDisconnectFunction: callbacks("clientCallbackTable"),
  OrderWSPendingFunction: callbacks("clientCallbackTable", "managementEndpoint", "syncRatePerSecond", "syncBurst"),
  OrderWSCallbackFunction: callbacks(
    "clientCallbackTable",
    "managementEndpoint",
    "historyRetentionSeconds",
    "fanoutConcurrency",
  ),
  OrderStatusProjectionFunction: orders("ordersTable"),
  CreateOrderFunction: orders(
    "ordersTable",
    "stateMachineArn",
    "eventBusName",
    "websocketUrl",
    "stage",
    "stageKeepsData",
    "orderRetentionDays",
    "originVerify",
  ),
  GetOrderFunction: orders("ordersTable", "stage", "stageKeepsData", "originVerify"),
  GetCatalogueFunction: orders(),
  // The workflow's input is only the order's id and amount: the steps that need the basket, the card
  // or the address read them from the order's item (CancelOrder forgets the card of an unpaid order).
  ReserveInventoryFunction: orders("ordersTable"),
  ProcessPaymentFunction: orders("ordersTable"),
  CompleteOrderFunction: orders("ordersTable"),
  // Every step records what it did on the order's item, once (orders/saga.ts): a step run twice does it once.
  ReleaseInventoryFunction: orders("ordersTable"),
  ProcessRefundFunction: orders("ordersTable"),
  CancelOrderFunction: orders("ordersTable"),
} as const satisfies Record<FunctionName, Wiring>;

/**
 * The environment of one function from the values of a stage (CDK tokens in a stack, URLs locally).
 * Throws naming the missing setting, so a stack or runtime that forgets one fails at synth or start.
 */
export function environmentOf(name: FunctionName, values: Partial<Record<Setting, string>>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const setting of WIRING[name].settings) {
    const value = values[setting];
    if (value !== undefined) environment[ENV[setting]] = value;
    else if (!OPTIONAL_SETTINGS.has(setting)) throw new Error(`${name} needs ${setting} (${ENV[setting]})`);
  }
  return environment;
}

/** A token bucket as API Gateway throttles: steady requests per second, and the burst it absorbs at once. */
export type Throttle = { rateLimit: number; burstLimit: number };

/**
 * The traffic the throttles are sized for, at the busiest minute of a shop of a few hundred orders a
 * day; the formula is in docs/protocol.md ("Throttles"). Change an input here, not a figure below.
 */
export const THROTTLE_SIZING = {
  /** Customers with an order's tracker page open at once. */
  concurrentCustomers: 300,
  /** Sockets one customer holds open (the page on a phone and on a laptop). */
  socketsPerCustomer: 2,
  /** New sockets per open socket per minute: reloads, network changes, API Gateway's 10-minute idle and 2-hour closes. */
  connectsPerSocketPerMinute: 1,
  /** Messages per socket per minute besides the `sync` every open sends: a `sync` for a gap, a retried one. */
  messagesPerSocketPerMinute: 1,
  /** Page loads per minute; each is `GET /catalogue` plus `GET /orders/{id}` for the order it tracks. */
  pageLoadsPerMinute: 300,
  httpRequestsPerPageLoad: 2,
  /** Orders placed per minute (`POST /orders`). */
  ordersPerMinute: 60,
  /** Rate = headroom × the expected rate; burst = that rate for this many seconds at once. */
  headroom: 2,
  burstSeconds: 2,
} as const;

/** The throttle for an expected steady `perSecond`: headroom above it, and a burst of `burstSeconds` of it. */
export function throttleFor(
  perSecond: number,
  sizing: { headroom: number; burstSeconds: number } = THROTTLE_SIZING,
): Throttle {
  const rateLimit = Math.ceil(perSecond * sizing.headroom);
  return { rateLimit, burstLimit: rateLimit * sizing.burstSeconds };
}

/** The expected steady rates behind each throttle, per second, from `THROTTLE_SIZING`. */
export function expectedRates(sizing: typeof THROTTLE_SIZING = THROTTLE_SIZING) {
  const sockets = sizing.concurrentCustomers * sizing.socketsPerCustomer;
  const connects = (sockets * sizing.connectsPerSocketPerMinute) / 60;
  return {
    connects,
    // Every open sends one `sync`; every socket also closes once (`$disconnect` has no settings of its own).
    messages: connects + connects + (sockets * sizing.messagesPerSocketPerMinute) / 60,
    http: (sizing.pageLoadsPerMinute * sizing.httpRequestsPerPageLoad + sizing.ordersPerMinute) / 60,
  };
}

const EXPECTED = expectedRates();

/**
 * API Gateway's throttles, declared once: the stacks set them on the stages and routes (overridable
 * at deploy, `DEPLOY_ENV`), the local gateway enforces the same. `$connect` has its own, apart from
 * messages, so one socket's flood of messages cannot refuse other customers' new sockets.
 */
export const API_THROTTLES = {
  http: throttleFor(EXPECTED.http),
  webSocket: {
    /** Every route without settings of its own: messages (`$default`, `sync`) and `$disconnect`. */
    default: throttleFor(EXPECTED.messages),
    routes: { $connect: throttleFor(EXPECTED.connects) },
  },
} as const satisfies { http: Throttle; webSocket: { default: Throttle; routes: Record<string, Throttle> } };

/**
 * Per-client limits at the edge: AWS WAF rate-based rules, per source address, on the web ACL of
 * the CloudFront distributions in front of both APIs (stacks/edge.ts); `npm start` enforces the same
 * rules per source address before the stage throttles (packages/aws-local/src/edge-rate-limit.ts).
 * WAF attaches to CloudFront but not to HTTP or WebSocket APIs, and counts per address over a
 * window of 60, 120, 300 or 600 s with a limit of at least 10 (docs/decisions/per-client-limits-at-the-edge.md).
 *
 * Sized from `THROTTLE_SIZING`: what one customer does in a window (the same per-customer rates the
 * stage throttles add up), × the customers one address may carry (an office or a carrier's NAT),
 * × headroom. A customer's normal use is a twentieth of a limit; one client's flood of the stage's
 * rate (22 requests/s, 20 connects/s) is hundreds of times over it. The stage throttles stay the
 * total behind the edge: WAF blocks with a lag (usually under 30 s) and never sees a socket's frames.
 */
export const EDGE_SIZING = {
  /** WAF's evaluation window: 300 s is its default and lets the smallest limits stay above WAF's minimum. */
  windowSeconds: 300,
  /** Customers behind one address at once (NAT): a limit must not refuse an office placing orders. */
  customersPerAddress: 10,
  headroom: 2,
} as const;

/** AWS WAF refuses a rate-based rule's limit below this. */
export const WAF_MIN_RATE_LIMIT = 10;
/** AWS WAF's largest rate-based limit. */
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;

/**
 * What a rule counts: every POST (the order API's one POST route is `POST /orders`), WebSocket
 * upgrades (`$connect`), or every request through the edge. By method, not by path: API Gateway
 * routes `/orders/` and other spellings of the path to the same route, and a rule on the exact path
 * would let them through under the looser catch-all.
 */
export type EdgeScope = { method: "POST" } | { upgrade: "websocket" } | "all";
export type EdgeRule = { limit: number; windowSeconds: number; scope: EdgeScope };

/** One customer's requests in a window, from the traffic the stage throttles are sized for. */
export function perCustomerPerWindow(
  sizing: typeof THROTTLE_SIZING = THROTTLE_SIZING,
  windowSeconds: number = EDGE_SIZING.windowSeconds,
) {
  const minutes = windowSeconds / 60;
  const orders = (sizing.ordersPerMinute / sizing.concurrentCustomers) * minutes;
  const connects = sizing.socketsPerCustomer * sizing.connectsPerSocketPerMinute * minutes;
  const http =
    ((sizing.pageLoadsPerMinute * sizing.httpRequestsPerPageLoad + sizing.ordersPerMinute) /
      sizing.concurrentCustomers) *
    minutes;
  return { orders, connects, requests: http + connects };
}

const edgeLimit = (perCustomer: number) =>
  Math.max(WAF_MIN_RATE_LIMIT, Math.ceil(perCustomer * EDGE_SIZING.customersPerAddress * EDGE_SIZING.headroom));
const PER_CUSTOMER = perCustomerPerWindow();

/** Whether a rule's scope takes a request, as the web ACL's scope-down statements do (stacks/edge.ts). */
export function edgeScopeMatches(scope: EdgeScope, request: { method: string; path: string; upgrade?: string }) {
  if (scope === "all") return true;
  if ("upgrade" in scope) return request.upgrade?.toLowerCase() === scope.upgrade;
  return request.method.toUpperCase() === scope.method;
}

/**
 * The web ACL's rate-based rules, in the order WAF evaluates them (the first that blocks ends the
 * evaluation). Their limits are tunables (`EDGE_*_PER_ADDRESS`, core's platform/tunables.ts).
 */
export const EDGE_RULES = {
  /** Each one starts a paid workflow execution and the whole order path: the tightest. */
  OrdersPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.orders),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: { method: "POST" },
  },
  /** `$connect` runs the authorizer and the connect function, and takes a place of the stage's 20/s. */
  ConnectsPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.connects),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: { upgrade: "websocket" },
  },
  /** Everything else through either distribution: page loads' GETs, preflights, upgrades. */
  RequestsPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.requests),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: "all",
  },
} as const satisfies Record<string, EdgeRule>;
export type EdgeRuleName = keyof typeof EDGE_RULES;

/**
 * The edge's refusal, one definition: WAF's custom response on the web ACL and `npm start` alike.
 * The body is API Gateway's own THROTTLED body, so the page reads an edge refusal as it reads a stage
 * throttle; `access-control-allow-origin` lets the page (another origin) read it at all (WAF's default
 * 403 without CORS would surface as a network error, a dead link). WAF prefixes only the headers it
 * inserts into requests, not those of a custom response.
 */
export const EDGE_REFUSAL = {
  statusCode: 429,
  contentType: "application/json",
  body: JSON.stringify({ message: "Too Many Requests" }),
  headers: { "access-control-allow-origin": "*" },
} as const;

/**
 * The bill guard: an alarm when more Step Functions executions start in 5 minutes than the stage's
 * expected orders would start, with headroom. Each order is one execution (Standard: ~8 transitions at
 * $0.025 per 1,000; Express: a request and its duration) and the whole order path behind it, so
 * executions started is what a flood of valid orders costs.
 */
export const BILL_GUARD = { periodSeconds: 300, headroom: 2 } as const;
/** The alarm's threshold (executions started in a period) for an expected rate of orders. */
export function billGuardThreshold(ordersPerSecond: number) {
  return Math.max(1, Math.ceil(ordersPerSecond * BILL_GUARD.periodSeconds * BILL_GUARD.headroom));
}
/** The orders per second the stage's throttles are sized for (`THROTTLE_SIZING.ordersPerMinute`). */
export const EXPECTED_ORDERS_PER_SECOND = THROTTLE_SIZING.ordersPerMinute / 60;

/**
 * Deploy-time settings of the stacks themselves (environment variables of `sst deploy`, never of a
 * function), each name written here once; their defaults and ranges are in core's platform/tunables.ts.
 */
export const DEPLOY_ENV = {
  httpThrottleRate: "HTTP_API_THROTTLE_RATE",
  httpThrottleBurst: "HTTP_API_THROTTLE_BURST",
  /** The WebSocket stage's default: messages and `$disconnect`. */
  webSocketThrottleRate: "WEBSOCKET_THROTTLE_RATE",
  webSocketThrottleBurst: "WEBSOCKET_THROTTLE_BURST",
  /** `$connect`'s own. */
  webSocketConnectThrottleRate: "WEBSOCKET_CONNECT_THROTTLE_RATE",
  webSocketConnectThrottleBurst: "WEBSOCKET_CONNECT_THROTTLE_BURST",
  orderEventsArchiveDays: "ORDER_EVENTS_ARCHIVE_DAYS",
  /** The edge's rate-based rules: requests per source address per window (`EDGE_RULES`). */
  edgeOrdersPerAddress: "EDGE_ORDERS_PER_ADDRESS",
  edgeConnectsPerAddress: "EDGE_CONNECTS_PER_ADDRESS",
  edgeRequestsPerAddress: "EDGE_REQUESTS_PER_ADDRESS",
  /** Step Functions executions started in 5 minutes past which the bill guard alarms (`BILL_GUARD`). */
  billGuardExecutions: "BILL_GUARD_EXECUTIONS",
  /**
   * A stage's own domain for the edge (e.g. `shop.example.com`) and an ACM certificate in us-east-1
   * covering `*.<domain>`: both or neither. With them the APIs' execute-api endpoints are disabled,
   * so the edge is the only way in, and `@connections` goes through the WebSocket API's custom domain.
   */
  edgeDomain: "EDGE_DOMAIN",
  edgeCertificateArn: "EDGE_CERTIFICATE_ARN",
  /**
   * `DISPOSABLE_STAGE=true` declares a stage whose data may be lost (a branch, a test): its tables and
   * logs are destroyed with it and it may use the fallback secret. Unset, a stage keeps its data
   * (retained tables with point-in-time recovery, longer log retention): never a guess from its name.
   */
  disposableStage: "DISPOSABLE_STAGE",
  /** The order workflow's type, STANDARD or EXPRESS (`WORKFLOW_TYPES`); read by the stacks and by `npm start`. */
  orderWorkflowType: "ORDER_WORKFLOW_TYPE",
  /**
   * During a switch of type: the previous type, whose state machine is kept (no order starts on it)
   * until its executions in flight have ended; then deployed again without it. docs/deploy-and-operate.md.
   */
  orderWorkflowDraining: "ORDER_WORKFLOW_DRAINING",
} as const;
export type DeploySetting = keyof typeof DEPLOY_ENV;

/** API Gateway selects a route by the message's `action`, falling back to `$default`. */
export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";
export const WEBSOCKET_ROUTES = {
  $connect: "OrderWSConnectFunction",
  $disconnect: "OrderWSDisconnectFunction",
  $default: "OrderWSPendingFunction",
  sync: "OrderWSPendingFunction",
} as const satisfies Record<string, FunctionName>;

/**
 * `$connect`'s Lambda REQUEST authorizer (a WebSocket API can authorize no other route). API Gateway
 * answers 401 without invoking it when an identity source is missing or empty — the order's id, and
 * the edge's header (`OriginVerify.HEADER`), so an upgrade that went around the edge costs no
 * invocation; the authorizer denies (403) a wrong value — and hands what it
 * allows — `{ principalId, ...context }` — to `$connect` and to every later route of the connection
 * as `requestContext.authorizer`: the connection's order travels with it, with no table read.
 * The stacks attach it, `npm start`'s gateway runs it.
 */
export const WEBSOCKET_AUTHORIZER = {
  functionName: "OrderWSAuthorizerFunction",
  identitySource: ["route.request.querystring.orderId", `route.request.header.${ORIGIN_VERIFY_HEADER}`],
  /** Longer is denied (403), so no later event carries an oversized context; an order's id is a 36-character UUID. */
  maxOrderIdLength: 64,
} as const satisfies { functionName: FunctionName; identitySource: readonly string[]; maxOrderIdLength: number };

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
  definitionFile: "packages/core/src/orders/workflow.asl.json",
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

/**
 * The order workflow's two types (`ORDER_WORKFLOW_TYPE`, core's platform/tunables.ts): Standard runs an
 * execution exactly once, keeps its history (GetExecutionHistory, 90 days) and bills every state
 * transition; asynchronous Express runs it at least once, keeps no history (its log group keeps
 * failed executions, with their state), ends it after 5 minutes, and bills requests and duration. The saga's steps are
 * idempotent by order (orders/saga.ts), so both give the customer the same order; docs/decisions/express-order-workflow.md.
 */
export const WORKFLOW_TYPES = ["STANDARD", "EXPRESS"] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/**
 * The state machine's name per type, so that during a switch both exist (the new one takes new
 * orders, the old one finishes those in flight): Standard keeps the name stages were deployed with.
 */
export const workflowName = (type: WorkflowType) => (type === "STANDARD" ? WORKFLOW.name : `${WORKFLOW.name}Express`);

/**
 * AWS's limits on an Express execution: it ends (TIMED_OUT, `States.Timeout`) after 5 minutes whatever
 * the definition's TimeoutSeconds; per the "Quotas for Express Workflows" page
 * (https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html). The app's one declaration
 * (the stacks' definition, bench/capacity/quotas.ts); the local Step Functions, which imports nothing
 * from the app, models it with its own EXPRESS_MAX_DURATION_MS, checked equal in packages/local's tests.
 */
export const EXPRESS_MAX_DURATION_SECONDS = 300;

/**
 * The definition deployed for a type: the ASL file as it is, except that an Express one's own timeout
 * is at most Express's limit (the file's 3,600 s would never be reached; saying 300 makes the template
 * and the local model agree on when an order's execution is cut).
 */
export function workflowDefinitionFor<T extends { TimeoutSeconds?: number }>(definition: T, type: WorkflowType): T {
  if (type === "STANDARD") return definition;
  return {
    ...definition,
    TimeoutSeconds: Math.min(definition.TimeoutSeconds ?? EXPRESS_MAX_DURATION_SECONDS, EXPRESS_MAX_DURATION_SECONDS),
  };
}

/**
 * Whether a stage keeps data, from `DEPLOY_ENV.disposableStage` as given at deploy: unset, empty or `false`
 * keeps it; `true` declares the stage disposable; anything else is a mistake (thrown, naming the
 * variable), since a typo must not quietly destroy a shop's orders.
 */
export function stageKeepsData(env: Record<string, string | undefined>): boolean {
  const raw = env[DEPLOY_ENV.disposableStage];
  if (raw === undefined || raw === "" || raw === "false") return true;
  if (raw === "true") return false;
  throw new Error(
    `${DEPLOY_ENV.disposableStage}="${raw}" is not allowed: use true (a disposable stage) or leave it unset (the stage keeps its data)`,
  );
}
