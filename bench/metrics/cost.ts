/**
 * cost: what a delivered status costs on AWS, from what the runtime's handlers spent
 * (bench/lib/aws-meter.ts, in the runtime process) while `ORDERS` orders went through `POST /orders`,
 * `CONCURRENCY` at a time, each watched by one client; then `COST_SCENARIOS` (more watchers per order, the longest
 * cancel path with the longest reason). Per delivered status, over the status path's functions:
 * DynamoDB units as DynamoDB answered them, Lambda billed time and requests, WebSocket messages and
 * EventBridge events, priced from bench/lib/aws-prices.ts; the order service is counted apart, per
 * order. Method in full: docs/bench-methods.md, "cost".
 */
import { randomUUID } from "node:crypto";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import * as Topology from "@awsomepets/core/platform/topology";
import * as OrderStatus from "@awsomepets/core/status/event";
import { DEFAULT_ACCOUNT } from "@awsomepets/aws-local/defaults";
import { executionArn } from "@awsomepets/aws-local/stepfunctions/arns";
import { names } from "../../packages/local/src/runtime/start-runtime";
import { meterDifference, OUTSIDE_FUNCTIONS, type FunctionMeter, type MeterSnapshot } from "../lib/aws-meter";
import { usd } from "../lib/aws-prices";
import { openSyncedSocket, type SyncedSocket } from "../lib/order-socket";
import { createPublisher } from "../lib/publisher";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import { inPool, sleep, waitUntil } from "../lib/wait";
import { workflowUsageOf, type WorkflowUsage } from "./order-path-cost";

export const ORDERS = 60;
export const CONCURRENCY = 6;
export const STEP_DELAY_MS = 250;
const STATUSES_PER_ORDER = 4;

/** A way customers place and watch orders: how many watch each, and which path its statuses take. */
export type CostScenario = {
  name: string;
  watchers: number;
  /** `success`: through POST /orders and the saga; `cancel-longest-reason`: published on the bus (below). */
  path: "success" | "cancel-longest-reason";
  orders: number;
};
/** The first is the headline scenario (the figures `npm run capacity` reads); the others follow in the same runtime. */
export const COST_SCENARIOS: readonly CostScenario[] = [
  { name: "1 watcher per order", watchers: 1, path: "success", orders: ORDERS },
  { name: "3 watchers per order", watchers: 3, path: "success", orders: 30 },
  { name: "10 watchers per order", watchers: 10, path: "success", orders: 18 },
  { name: "cancel path, longest reason, 1 watcher", watchers: 1, path: "cancel-longest-reason", orders: 30 },
];
/** The longest way to cancelled (CompleteOrder fails after payment), every compensation carrying the reason. */
const CANCEL_PATH: ReadonlyArray<[OrderStatus.Status, Partial<OrderStatus.StatusRecord>?]> = [
  ["placed"],
  ["reserved"],
  ["paid", { amountPaid: 450 }],
  ["refunded", { reason: "" }],
  ["released", { reason: "" }],
  ["cancelled", { reason: "" }],
];
/** The longest reason an event may carry, in words as the saga writes them (ASCII: the bytes are its length). */
export const LONGEST_REASON = "We cannot deliver to this address: ".padEnd(OrderStatus.REASON_MAX_LENGTH, "x");
const OURS_ORDER_TIMEOUT_MS = 30_000;
/** After the POST answers, the saga's three steps are surely over by then (ours must have everything sooner). */
const ORDER_DONE_MS = STEP_DELAY_MS * 3 + 3_000;
const SUCCESS_ORDER = JSON.stringify({
  basket: [
    { sku: "DOG-LAB", quantity: 1 },
    { sku: "FSH-BET", quantity: 2 },
  ],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});

/**
 * The functions a status and a watching customer run: `$connect`'s authorizer, the WebSocket routes' and the status
 * rules' targets.
 */
export const STATUS_PATH_FUNCTIONS: readonly Topology.FunctionName[] = [
  ...new Set<Topology.FunctionName>([
    Topology.WEBSOCKET_AUTHORIZER.functionName,
    ...Object.values(Topology.WEBSOCKET_ROUTES),
    ...Object.values(Topology.EVENT_RULES).map((rule) => rule.target),
  ]),
];

export type FunctionCost = {
  memory_mb: number;
  invocations_per_status: number;
  /** Mean billed duration of one invocation, and the same with DynamoDB answering at AWS's latency (aws-meter.ts). */
  ms_per_invocation: number;
  ms_per_invocation_at_aws_latency: number;
  billed_ms_per_status: number;
  write_units_per_status: number;
  read_units_per_status: number;
};

export type VariantCost = {
  /** Every write of the status path: the callback store's, and the projection's OrdersTbl update. */
  write_units_per_status: number;
  /** The callback store's writes alone (ClientCallbackTbl, or the seed's table): what its layout decides. */
  callback_store_write_units_per_status: number;
  read_units_per_status: number;
  lambda_ms_per_status: number;
  lambda_gb_ms_per_status: number;
  /** Billed ms with each DynamoDB request's local wait replaced by AWS's (aws-meter.ts), and its price. */
  lambda_ms_per_status_at_aws_latency: number;
  usd_per_million_statuses_at_aws_latency: number;
  lambda_invocations_per_status: number;
  messages_per_status: number;
  events_per_status: number;
  usd_per_million_statuses: number;
  /** The same, by what is billed. */
  usd_per_million_statuses_by_item: {
    dynamodb_writes: number;
    dynamodb_reads: number;
    lambda_duration: number;
    lambda_requests: number;
    messages: number;
    events: number;
  };
  /** Conditional writes that failed (billed, without ConsumedCapacity: counted as 1 unit each in the write units). */
  failed_conditional_writes_per_status: number;
  orders: number;
  statuses_published: number;
  statuses_delivered: number;
  lost: number;
  /** Ours only, when it missed a status (it must not): what the order's client received, and how its saga ended. */
  incomplete_orders?: Array<{ orderId: string; frames: string[]; saga: string }>;
  messages: { in: number; out: number };
  by_function: Partial<Record<Topology.FunctionName, FunctionCost>>;
  /** Units by table, per status (all functions). */
  units_per_status_by_table: Record<string, { write: number; read: number }>;
  order_service: {
    transitions_per_order: number;
    usd_per_million_orders_transitions: number;
    lambda_ms_per_order: number;
    write_units_per_order: number;
    read_units_per_order: number;
    events_per_order: number;
  };
  /** What the run's executions did, for the whole order path's price per workflow type (ours only). */
  workflow_usage?: WorkflowUsage;
};

const memoryOf = (name: string) => Topology.FUNCTION_RUNTIME[name as Topology.FunctionName]?.memoryMB ?? 0;
const sum = (meters: FunctionMeter[], key: keyof FunctionMeter) => meters.reduce((total, m) => total + m[key], 0);

async function transitionsOf(runtime: BenchRuntime, orderIds: string[]) {
  const sfn = new SFNClient({
    endpoint: runtime.state.endpoints.stepfunctions,
    region: runtime.state.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const machine = names(runtime.state.stage, "STANDARD").stateMachineName;
  try {
    let transitions = 0;
    for (const orderId of orderIds) {
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: executionArn(runtime.state.region, DEFAULT_ACCOUNT, machine, orderId),
            nextToken,
            includeExecutionData: false,
          }),
        );
        // Step Functions bills a transition for every state entered (retries included).
        transitions += (page.events ?? []).filter((e) => e.type?.endsWith("StateEntered")).length;
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return transitions / orderIds.length;
  } finally {
    sfn.destroy();
  }
}

/**
 * Places an order (through POST /orders, or its first status on the bus) and returns its id and the path's status
 * count.
 */
async function placeOrder(
  runtime: BenchRuntime,
  scenario: CostScenario,
  publisher: ReturnType<typeof createPublisher>,
) {
  if (scenario.path === "cancel-longest-reason") {
    const orderId = randomUUID();
    await publisher.publish([cancelDetail(orderId, 0)]);
    return { orderId, statuses: CANCEL_PATH.length };
  }
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: SUCCESS_ORDER,
  });
  const placed = (await response.json()) as { orderId?: string };
  if (response.status !== 202 || !placed.orderId)
    throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(placed)}`);
  return { orderId: placed.orderId, statuses: STATUSES_PER_ORDER };
}

function cancelDetail(orderId: string, step: number): OrderStatus.StatusRecord {
  const [status, extra = {}] = CANCEL_PATH[step]!;
  const detail = { orderId, status, occurredAt: new Date(Date.now()).toISOString(), ...extra };
  return extra.reason === undefined ? detail : { ...detail, reason: LONGEST_REASON };
}

/** The cancel path's later statuses, a saga step apart, after its watchers have connected. */
async function publishRest(orderId: string, publisher: ReturnType<typeof createPublisher>) {
  for (let step = 1; step < CANCEL_PATH.length; step++) {
    await sleep(STEP_DELAY_MS);
    await publisher.publish([cancelDetail(orderId, step)]);
  }
}

export async function measureCost(
  runtime: BenchRuntime,
  scenario: CostScenario = COST_SCENARIOS[0]!,
  concurrency = CONCURRENCY,
): Promise<VariantCost> {
  const options = { orders: scenario.orders, concurrency };
  const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
  try {
    return await measureScenario(runtime, scenario, options, publisher);
  } finally {
    publisher.close();
  }
}

async function measureScenario(
  runtime: BenchRuntime,
  scenario: CostScenario,
  options: { orders: number; concurrency: number },
  publisher: ReturnType<typeof createPublisher>,
): Promise<VariantCost> {
  const meterNow = async () => {
    const { meter } = await runtime.counters();
    if (!meter) throw new Error("the runtime runs without the AWS meter");
    return meter;
  };
  await runtime.idle();
  const before = await meterNow();
  const messages = { in: 0, out: 0 };
  const delivered = new Set<string>();
  const orderIds: string[] = [];
  const incomplete: Array<{ orderId: string; frames: string[] }> = [];
  let published = 0;
  await inPool(Array.from({ length: options.orders }), options.concurrency, async () => {
    const { orderId, statuses: expected } = await placeOrder(runtime, scenario, publisher);
    orderIds.push(orderId);
    published += expected;
    const answeredAt = Date.now();
    // Every watcher must have every status (ours); the order counts each status once, whoever got it.
    const received: number[] = [];
    const frames: string[] = [];
    const sockets: SyncedSocket[] = [];
    try {
      for (let w = 0; w < scenario.watchers; w++) {
        const seen = new Set<string>();
        received.push(0);
        sockets.push(
          await openSyncedSocket(
            runtime.state.endpoints.websocket,
            orderId,
            (frame) => {
              messages.out++;
              if (w === 0) frames.push(frame.type === "status" ? `${frame.status}#${frame.seq}` : frame.type);
              if (frame.type !== "status" || seen.has(frame.status)) return;
              seen.add(frame.status);
              received[w]!++;
              delivered.add(`${frame.orderId}#${frame.status}`);
            },
            runtime.variant,
          ),
        );
        messages.in++; // its `sync` (ours) or `{"orderId"}` (the seed's)
      }
      const rest = scenario.path === "cancel-longest-reason" ? publishRest(orderId, publisher) : Promise.resolve();
      const allHaveAll = () => received.every((n) => n === expected);
      if (runtime.variant === "ours") {
        // Ours must deliver every status: one missing is recorded (and fails a goal), with what its client saw.
        await waitUntil(allHaveAll, OURS_ORDER_TIMEOUT_MS, "").catch(() => incomplete.push({ orderId, frames }));
      } else {
        const doneAfter = scenario.path === "success" ? ORDER_DONE_MS : STEP_DELAY_MS * CANCEL_PATH.length + 3_000;
        while (!allHaveAll() && Date.now() - answeredAt < doneAfter) await sleep(20);
      }
      await rest;
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
    }
  });
  await runtime.idle();
  // `$disconnect` runs after the close has been answered: wait for every one.
  const deadline = Date.now() + 30_000;
  let spent = meterDifference(before, await meterNow());
  const sockets = options.orders * scenario.watchers;
  while ((spent.functions.OrderWSDisconnectFunction?.invocations ?? 0) < sockets) {
    if (Date.now() > deadline) throw new Error(`${sockets} $disconnect invocations not done within 30 s`);
    await sleep(50);
    spent = meterDifference(before, await meterNow());
  }
  // The seed's design has no `$connect` authorizer: the harness's gateway runs ours for its sockets too,
  // which is not the seed's cost.
  if (runtime.variant === "seed") delete spent.functions[Topology.WEBSOCKET_AUTHORIZER.functionName];
  if (spent.unexpected_endpoint_requests > 0)
    throw new Error(
      `${spent.unexpected_endpoint_requests} DynamoDB requests went to another endpoint than the one metered`,
    );
  const figures = costOf(spent, {
    ordersTable: names(runtime.state.stage).ordersTable,
    statuses: delivered.size,
    published,
    orders: options.orders,
    messages,
    // The cancel path's statuses are published by the bench, not by a saga: no execution to count.
    transitionsPerOrder: scenario.path === "success" ? await transitionsOf(runtime, orderIds) : 0,
  });
  // The whole order path's Step Functions and workflow logs, per type (./order-path-cost.ts).
  if (runtime.variant === "ours" && scenario.path === "success")
    figures.workflow_usage = await workflowUsageOf(runtime, orderIds, STEP_DELAY_MS);
  if (incomplete.length === 0) return figures;
  return {
    ...figures,
    incomplete_orders: await Promise.all(
      incomplete.slice(0, 5).map(async (o) => ({ ...o, saga: await sagaOf(runtime, o.orderId) })),
    ),
  };
}

/** A scenario's figures as the results keep them. */
export function scenarioFigures(v: VariantCost) {
  const {
    callback_store_write_units_per_status,
    write_units_per_status,
    failed_conditional_writes_per_status,
    usd_per_million_statuses,
    statuses_published,
    statuses_delivered,
    lost,
  } = v;
  return {
    callback_store_write_units_per_status,
    write_units_per_status,
    failed_conditional_writes_per_status,
    usd_per_million_statuses,
    statuses_published,
    statuses_delivered,
    lost,
  };
}

/** How an order's saga ended and the last state it entered: was a missing status ever published? */
async function sagaOf(runtime: BenchRuntime, orderId: string) {
  const sfn = new SFNClient({
    endpoint: runtime.state.endpoints.stepfunctions,
    region: runtime.state.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const arn = executionArn(
      runtime.state.region,
      DEFAULT_ACCOUNT,
      names(runtime.state.stage, "STANDARD").stateMachineName,
      orderId,
    );
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }),
    );
    const entered = events.filter((e) => e.type?.endsWith("StateEntered")).map((e) => e.stateEnteredEventDetails?.name);
    return `${status}, states entered: ${entered.join(" → ")}`;
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  } finally {
    sfn.destroy();
  }
}

export function costOf(
  spent: MeterSnapshot,
  run: {
    ordersTable: string;
    statuses: number;
    published: number;
    orders: number;
    messages: { in: number; out: number };
    transitionsPerOrder: number;
  },
): VariantCost {
  const per = (n: number, digits = 3) => round(n / run.statuses, digits);
  const statusPath = STATUS_PATH_FUNCTIONS.map((name) => spent.functions[name]).filter(
    (m): m is FunctionMeter => m !== undefined,
  );
  const orderService = Object.entries(spent.functions)
    .filter(([name]) => !STATUS_PATH_FUNCTIONS.includes(name as Topology.FunctionName))
    .map(([, m]) => m);
  const writeUnits = sum(statusPath, "write_units");
  const readUnits = sum(statusPath, "read_units");
  const billedMs = sum(statusPath, "billed_ms");
  const gbMs = STATUS_PATH_FUNCTIONS.reduce(
    (total, name) => total + ((spent.functions[name]?.billed_ms ?? 0) * memoryOf(name)) / 1024,
    0,
  );
  const invocations = sum(statusPath, "invocations");
  const messageCount = run.messages.in + run.messages.out;
  const events = sum(Object.values(spent.functions), "put_events_entries");
  const byItem = {
    dynamodb_writes: usd.writeUnits(writeUnits),
    dynamodb_reads: usd.readUnits(readUnits),
    lambda_duration: STATUS_PATH_FUNCTIONS.reduce(
      (total, name) => total + usd.lambdaMs(spent.functions[name]?.billed_ms ?? 0, memoryOf(name)),
      0,
    ),
    lambda_requests: usd.lambdaRequests(invocations),
    messages: usd.messages(messageCount),
    events: usd.events(events),
  };
  const perMillion = (value: number) => round((value / run.statuses) * 1e6, 4);
  const durationAtAwsLatency = STATUS_PATH_FUNCTIONS.reduce(
    (total, name) => total + usd.lambdaMs(spent.functions[name]?.billed_ms_at_aws_latency ?? 0, memoryOf(name)),
    0,
  );
  const total = Object.values(byItem).reduce((a, b) => a + b, 0);
  const byFunction: VariantCost["by_function"] = {};
  for (const [name, m] of Object.entries(spent.functions)) {
    if (name === OUTSIDE_FUNCTIONS || m.invocations === 0) continue;
    byFunction[name as Topology.FunctionName] = {
      memory_mb: memoryOf(name),
      invocations_per_status: per(m.invocations),
      ms_per_invocation: round(m.billed_ms / m.invocations, 1),
      ms_per_invocation_at_aws_latency: round(m.billed_ms_at_aws_latency / m.invocations, 1),
      billed_ms_per_status: per(m.billed_ms, 2),
      write_units_per_status: per(m.write_units),
      read_units_per_status: per(m.read_units),
    };
  }
  const callbackStoreWrites = Object.entries(spent.tables)
    .filter(([table]) => table !== run.ordersTable)
    .reduce((total, [, u]) => total + u.write_units, 0);
  return {
    write_units_per_status: per(writeUnits),
    callback_store_write_units_per_status: per(callbackStoreWrites),
    read_units_per_status: per(readUnits),
    lambda_ms_per_status: per(billedMs, 2),
    lambda_gb_ms_per_status: per(gbMs / 1024, 3),
    lambda_ms_per_status_at_aws_latency: per(sum(statusPath, "billed_ms_at_aws_latency"), 2),
    usd_per_million_statuses_at_aws_latency: perMillion(total - byItem.lambda_duration + durationAtAwsLatency),
    lambda_invocations_per_status: per(invocations),
    messages_per_status: per(messageCount),
    events_per_status: per(events),
    usd_per_million_statuses: perMillion(total),
    usd_per_million_statuses_by_item: Object.fromEntries(
      Object.entries(byItem).map(([k, v]) => [k, perMillion(v)]),
    ) as VariantCost["usd_per_million_statuses_by_item"],
    failed_conditional_writes_per_status: per(sum(statusPath, "failed_conditional_writes")),
    orders: run.orders,
    statuses_published: run.published,
    statuses_delivered: run.statuses,
    lost: run.published - run.statuses,
    messages: run.messages,
    by_function: byFunction,
    units_per_status_by_table: Object.fromEntries(
      Object.entries(spent.tables).map(([table, u]) => [table, { write: per(u.write_units), read: per(u.read_units) }]),
    ),
    order_service: {
      transitions_per_order: round(run.transitionsPerOrder, 2),
      usd_per_million_orders_transitions: round(usd.transitions(run.transitionsPerOrder) * 1e6, 2),
      lambda_ms_per_order: round(sum(orderService, "billed_ms") / run.orders, 1),
      write_units_per_order: round(sum(orderService, "write_units") / run.orders, 2),
      read_units_per_order: round(sum(orderService, "read_units") / run.orders, 2),
      events_per_order: round(sum(orderService, "put_events_entries") / run.orders, 2),
    },
  };
}
