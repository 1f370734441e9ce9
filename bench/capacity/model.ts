/**
 * How far one stage carries, computed from the benchmark's cost figures (per status and per order,
 * bench/metrics/cost.ts) and the stage's declared settings (core's Topology: each function's memory
 * and reserved concurrency, API Gateway's throttles, the per-order tunables) against AWS's default
 * quotas (./quotas.ts). Every limit is turned into "orders per second this carries"; the smallest
 * binds first.
 *
 * Model: an order has the figures' statuses (the success path) and `watchersPerOrder` customers
 * watching it, each for `watchMinutes`; functions behind WebSocket routes run once per watcher,
 * the others once per order. Lambda concurrency = invocations/s × duration (Little's law) with the
 * durations measured with DynamoDB at AWS latency; the same for watching customers.
 */
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import type { CostResults } from "../lib/results";
import { EDGE_PRICES, usd } from "../lib/aws-prices";
import { QUOTAS, type Quota } from "./quotas";

export type CostFigures = Pick<CostResults, "date" | "engine" | "scenario" | "prices" | "ours"> &
  Partial<Pick<CostResults, "order_path">>;

/**
 * The load, and the workflow type whose Step Functions bill and quotas apply (the stage's
 * ORDER_WORKFLOW_TYPE, read by the caller through core's parser): Standard is priced from the figures'
 * transitions, Express from their `order_path` (a cost run since issue 27), which `checkPriceable` requires.
 */
export type Load = {
  ordersPerSecond: number;
  watchersPerOrder: number;
  watchMinutes: number;
  workflowType: Topology.WorkflowType;
};

/** Figures without `order_path` price Standard only: asked for Express, they would price the wrong bill. */
export function checkPriceable(figures: CostFigures, workflowType: Topology.WorkflowType, source: string) {
  if (workflowType === "EXPRESS" && !figures.order_path) {
    throw new Error(
      `${Tunables.CHOICES.orderWorkflowType.variable} is EXPRESS but ${source} has no order_path (figures from a cost run before issue 27 price Standard only): run npm run bench -- --only cost, or set ${Tunables.CHOICES.orderWorkflowType.variable}=STANDARD`,
    );
  }
}

/** A limit: what it is, how much of it one order per second uses, and how to raise it. */
export type Limit = { name: string; limit: number; unit: string; perOrder: number; raise: string; source?: string };

const SECONDS_PER_MONTH = 30 * 24 * 60 * 60;
/** Run once per watching customer's socket: the routes and `$connect`'s authorizer. */
const ROUTE_FUNCTIONS = new Set<string>([
  ...Object.values(Topology.WEBSOCKET_ROUTES),
  Topology.WEBSOCKET_AUTHORIZER.functionName,
]);

/** What one order uses, per kind, from the figures (measured with one watcher per order). */
export function perOrder(figures: CostFigures, load: Load) {
  const statuses = figures.scenario.statuses_per_order;
  const ours = figures.ours;
  const functions = Object.entries(ours.by_function).map(([name, f]) => {
    const times = ROUTE_FUNCTIONS.has(name) ? load.watchersPerOrder : 1;
    // Priced at the memory declared now (local durations do not depend on it).
    const memoryMB = Topology.FUNCTION_RUNTIME[name as Topology.FunctionName]?.memoryMB ?? f!.memory_mb;
    return {
      name,
      memoryMB,
      invocations: f!.invocations_per_status * statuses * times,
      ms: f!.ms_per_invocation_at_aws_latency,
      writeUnits: f!.write_units_per_status * statuses * times,
      readUnits: f!.read_units_per_status * statuses * times,
    };
  });
  const messagesIn = (ours.messages.in / ours.orders) * load.watchersPerOrder;
  const messagesOut = (ours.messages.out / ours.orders) * load.watchersPerOrder;
  return {
    statuses,
    functions,
    /** Concurrent executions one order per second keeps busy. */
    concurrency: functions.reduce((total, f) => total + (f.invocations * f.ms) / 1000, 0),
    writeUnits: functions.reduce((total, f) => total + f.writeUnits, 0),
    readUnits: functions.reduce((total, f) => total + f.readUnits, 0),
    messagesIn,
    messagesOut,
    newConnections: load.watchersPerOrder,
    putEvents: ours.events_per_status * statuses,
    transitions: ours.order_service.transitions_per_order,
  };
}

export function limits(figures: CostFigures, load: Load): Limit[] {
  const use = perOrder(figures, load);
  const quota = (q: Quota) => ({ limit: q.value, unit: q.unit, source: q.source });
  const http = Topology.API_THROTTLES.http.rateLimit;
  const connect = Topology.API_THROTTLES.webSocket.routes.$connect.rateLimit;
  const messages = Topology.API_THROTTLES.webSocket.default.rateLimit;
  const list: Limit[] = [
    {
      name: "HTTP API stage throttle",
      limit: http,
      unit: "requests/s (POST /orders: one per order)",
      perOrder: 1,
      raise: "HTTP_API_THROTTLE_RATE at deploy (Topology.API_THROTTLES.http)",
    },
    {
      name: "WebSocket $connect route throttle",
      limit: connect,
      unit: "new connections/s on the stage",
      perOrder: use.newConnections,
      raise: "Topology.API_THROTTLES.webSocket.routes.$connect",
    },
    {
      name: "WebSocket message throttle",
      limit: messages,
      unit: "messages/s to the routes (each watcher's sync and $disconnect)",
      perOrder: use.messagesIn + load.watchersPerOrder,
      raise: "WEBSOCKET_THROTTLE_RATE at deploy (Topology.API_THROTTLES.webSocket.default)",
    },
    {
      name: "API Gateway new WebSocket connections",
      ...quota(QUOTAS.webSocketNewConnectionsPerSecond),
      perOrder: use.newConnections,
      raise: "a Service Quotas request (API Gateway)",
    },
    {
      name: "API Gateway requests (account)",
      ...quota(QUOTAS.apiGatewayRequestsPerSecond),
      perOrder: 1 + use.newConnections + use.messagesIn + load.watchersPerOrder + use.messagesOut,
      raise: "a Service Quotas request (API Gateway throttle)",
    },
    {
      name: "Lambda concurrent executions",
      ...quota(QUOTAS.lambdaConcurrentExecutions),
      perOrder: use.concurrency,
      raise: "a Service Quotas request (Lambda concurrent executions)",
    },
    {
      name: "DynamoDB on-demand table writes",
      ...quota(QUOTAS.dynamodbOnDemandTableWriteUnitsPerSecond),
      perOrder: use.writeUnits,
      raise: "the table's maximum throughput / a Service Quotas request (DynamoDB)",
    },
    {
      name: "EventBridge PutEvents",
      ...quota(QUOTAS.eventBridgePutEventsPerSecond),
      perOrder: use.putEvents,
      raise: "a Service Quotas request (EventBridge PutEvents)",
    },
    {
      name: "EventBridge target invocations",
      ...quota(QUOTAS.eventBridgeTargetInvocationsPerSecond),
      perOrder: use.statuses * Object.keys(Topology.EVENT_RULES).length,
      raise: "a Service Quotas request (EventBridge invocations)",
    },
    ...(load.workflowType === "EXPRESS"
      ? [
          {
            name: "Step Functions StartExecution (Express)",
            ...quota(QUOTAS.stepFunctionsExpressStartExecutionPerSecond),
            perOrder: 1,
            raise: "a Service Quotas request (Step Functions)",
          },
        ]
      : [
          {
            name: "Step Functions StartExecution",
            ...quota(QUOTAS.stepFunctionsStartExecutionPerSecond),
            perOrder: 1,
            raise: "a Service Quotas request (Step Functions)",
          },
          {
            name: "Step Functions state transitions",
            ...quota(QUOTAS.stepFunctionsStateTransitionsPerSecond),
            perOrder: use.transitions,
            raise: "a Service Quotas request (Step Functions)",
          },
        ]),
  ];
  for (const [name, runtime] of Object.entries(Topology.FUNCTION_RUNTIME) as Array<
    [string, { reservedConcurrency?: number }]
  >) {
    const f = use.functions.find((fn) => fn.name === name);
    if (runtime.reservedConcurrency === undefined || !f) continue;
    list.push({
      name: `${name} reserved concurrency`,
      limit: runtime.reservedConcurrency,
      unit: "concurrent executions",
      perOrder: (f.invocations * f.ms) / 1000,
      raise: `Topology.FUNCTION_RUNTIME.${name}.reservedConcurrency`,
    });
  }
  return list;
}

/** Orders per second each limit allows, smallest first. */
export function carried(figures: CostFigures, load: Load) {
  return limits(figures, load)
    .filter((l) => l.perOrder > 0)
    .map((l) => ({ ...l, ordersPerSecond: l.limit / l.perOrder }))
    .sort((a, b) => a.ordersPerSecond - b.ordersPerSecond);
}

/**
 * USD per order at AWS's list prices, by what is billed: Lambda at the declared memory, units, messages, events,
 * transitions, connection minutes.
 */
export function usdPerOrderByItem(figures: CostFigures, load: Load) {
  const use = perOrder(figures, load);
  const p = figures.prices;
  return {
    lambda: use.functions.reduce(
      (total, f) => total + usd.lambdaMs(f.invocations * f.ms, f.memoryMB, p) + usd.lambdaRequests(f.invocations, p),
      0,
    ),
    dynamodb: usd.writeUnits(use.writeUnits, p) + usd.readUnits(use.readUnits, p),
    webSocketMessages: usd.messages(use.messagesIn + use.messagesOut, p),
    connectionMinutes: usd.connectionMinutes(load.watchersPerOrder * load.watchMinutes, p),
    eventBridge: usd.events(use.putEvents, p),
    stepFunctions:
      load.workflowType === "EXPRESS"
        ? expressPath(figures).express.usd_per_million_orders_by_item.step_functions / 1e6
        : usd.transitions(use.transitions, p),
  };
}

function expressPath(figures: CostFigures) {
  checkPriceable(figures, "EXPRESS", "the figures");
  return figures.order_path!;
}

export const usdPerOrder = (figures: CostFigures, load: Load) =>
  Object.values(usdPerOrderByItem(figures, load)).reduce((a, b) => a + b, 0);

export const usdPerMonth = (figures: CostFigures, load: Load) =>
  usdPerOrder(figures, load) * load.ordersPerSecond * SECONDS_PER_MONTH;

/** For `multiple` × the load: the limits it passes, what to raise them to, and the month's bill. */
export function atLoad(figures: CostFigures, load: Load, multiple: number) {
  const scaled = { ...load, ordersPerSecond: load.ordersPerSecond * multiple };
  const over = carried(figures, scaled)
    .filter((l) => l.ordersPerSecond < scaled.ordersPerSecond)
    .map((l) => ({ name: l.name, from: l.limit, to: Math.ceil(l.perOrder * scaled.ordersPerSecond), raise: l.raise }));
  return { multiple, ordersPerSecond: scaled.ordersPerSecond, over, usdPerMonth: usdPerMonth(figures, scaled) };
}

/** What the stage as shipped carries: the first limit's orders/s, and what follows from it. */
export function stageCapacity(figures: CostFigures, load: Load) {
  const all = carried(figures, load);
  const first = all[0]!;
  const ordersPerSecond = first.ordersPerSecond;
  const newConnectionsPerSecond = ordersPerSecond * load.watchersPerOrder;
  // Each connection lasts the watch, at most API Gateway's 2 hours.
  const watchSeconds = Math.min(load.watchMinutes, QUOTAS.webSocketConnectionHours.value * 60) * 60;
  return {
    ordersPerSecond,
    statusesPerSecond: ordersPerSecond * figures.scenario.statuses_per_order,
    newConnectionsPerSecond,
    watchingCustomers: newConnectionsPerSecond * watchSeconds,
    bindsFirst: first,
    limits: all,
    perOrderCap: CallbackTable.DEFAULT_MAX_CONNECTIONS_PER_ORDER,
  };
}

const SECONDS_PER_DAY = 24 * 60 * 60;
/**
 * How long WAF may let a flood through before its rate-based rule blocks: "usually below 30 seconds"
 * (AWS WAF Developer Guide, "Rate-based rule caveats"; up to several minutes at worst).
 */
export const WAF_DETECTION_LAG_SECONDS = 30;

/** The edge's own bill: the web ACL and its rules a month, and what each request through it costs. */
export function edgePrices() {
  const rules = Object.keys(Topology.EDGE_RULES).length;
  return {
    rules,
    usdPerMonth: EDGE_PRICES.waf.usd_per_web_acl_month + rules * EDGE_PRICES.waf.usd_per_rule_month,
    usdPerMillionRequests:
      EDGE_PRICES.waf.usd_per_million_requests + EDGE_PRICES.cloudFront.usd_per_10k_https_requests * 100,
  };
}

/**
 * What one client (one address) can cost a day before a limit stops it, sending valid orders:
 * before the edge only the stage's HTTP throttle bounded it; behind it, the per-address rule, paced
 * at its limit or bursting at the stage's rate into WAF's detection lag once per window. A blocked
 * flood is not free: the edge bills each request it refuses.
 */
export function oneClient(figures: CostFigures, load: Load) {
  const perOrderUsd = usdPerOrder(figures, { ...load, watchersPerOrder: 1 });
  const stageRate = Topology.API_THROTTLES.http.rateLimit;
  const rule = Topology.EDGE_RULES.OrdersPerAddress;
  const day = (ordersPerDay: number) => ({ ordersPerDay, usdPerDay: ordersPerDay * perOrderUsd });
  const edge = edgePrices();
  const messages = Topology.API_THROTTLES.webSocket.default.rateLimit;
  const sync = figures.ours.by_function.OrderWSPendingFunction;
  const syncMemory = Topology.FUNCTION_RUNTIME.OrderWSPendingFunction.memoryMB;
  const perMessageUsd =
    usd.messages(1, figures.prices) +
    usd.lambdaRequests(1, figures.prices) +
    (sync ? usd.lambdaMs(sync.ms_per_invocation_at_aws_latency, syncMemory, figures.prices) : 0);
  return {
    perOrderUsd,
    before: day(stageRate * SECONDS_PER_DAY),
    paced: day(rule.limit * (SECONDS_PER_DAY / rule.windowSeconds)),
    bursting: day(
      (stageRate * WAF_DETECTION_LAG_SECONDS + rule.limit) *
        (SECONDS_PER_DAY / (rule.windowSeconds + WAF_DETECTION_LAG_SECONDS)),
    ),
    /** A flood the edge refuses, at the stage's rate: the edge's price per request is all it costs. */
    refusedAtStageRateUsdPerDay: (stageRate * SECONDS_PER_DAY * edge.usdPerMillionRequests) / 1e6,
    /**
     * A link holder's frames: the edge never sees them; the stage's message throttle bounds them, each a message and a
     * Lambda invocation.
     */
    linkHolderMessages: { perDay: messages * SECONDS_PER_DAY, usdPerDay: messages * SECONDS_PER_DAY * perMessageUsd },
    edge,
    billGuard: Topology.billGuardThreshold(load.ordersPerSecond),
  };
}

/**
 * `npm run capacity`'s default load: one order a second, one customer watching it for 10 minutes, core's default type.
 */
export const DEFAULT_LOAD: Load = {
  ordersPerSecond: 1,
  watchersPerOrder: 1,
  watchMinutes: 10,
  workflowType: Tunables.DEFAULT_ORDER_WORKFLOW_TYPE,
};

/**
 * The Lambda concurrency a stage needs at the most it carries (`stageCapacity`): its functions'
 * concurrent executions from the account's unreserved pool at that rate (Little's law, rounded up),
 * and the reserved concurrency its functions declare (`Topology.FUNCTION_RUNTIME`). `npm run deploy`
 * checks the account against it.
 */
export function lambdaConcurrencyNeed(figures: CostFigures, load: Load = DEFAULT_LOAD) {
  const { ordersPerSecond } = stageCapacity(figures, load);
  const reserved = Object.values(Topology.FUNCTION_RUNTIME as Record<string, { reservedConcurrency?: number }>).reduce(
    (total, r) => total + (r.reservedConcurrency ?? 0),
    0,
  );
  return { ordersPerSecond, unreserved: Math.ceil(ordersPerSecond * perOrder(figures, load).concurrency), reserved };
}
