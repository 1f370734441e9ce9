/** Which environment variables each function reads, their names, and the Powertools service it belongs to. */
import type { FunctionName } from "./functions";

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
  /**
   * Tunable (optional): how long an order's item (and with it the basket and address) is kept after it was placed,
   * days.
   */
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
