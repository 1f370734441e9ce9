/**
 * The cost metric's parts, without timing anything: the AWS meter in a real runtime process counts
 * the capacity units DynamoDB answers, per function, and hands callers the answer they would have
 * had without it; and the per-status figures and their price follow from what was metered.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meterDifference, type MeterSnapshot } from "../bench/lib/aws-meter";
import { PRICES } from "../bench/lib/aws-prices";
import { openSyncedSocket, type SyncedSocket } from "../bench/lib/order-socket";
import { createPublisher, orderStatuses } from "../bench/lib/publisher";
import { startBenchRuntime, type BenchRuntime } from "../bench/lib/runtime-handle";
import { waitUntil } from "../bench/lib/wait";
import { costOf, COST_SCENARIOS, measureCost } from "../bench/metrics/cost";
import { costMarkdown } from "../bench/lib/cost-report";
import { computeTargets } from "../bench/lib/targets";
import type { CostResults } from "../bench/lib/results";

describe("the AWS meter in the benchmark's runtime", () => {
  let runtime: BenchRuntime;
  const sockets: SyncedSocket[] = [];
  beforeAll(async () => {
    runtime = await startBenchRuntime("ours", { meter: true });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await runtime?.close();
  });

  it("counts the units DynamoDB answers, per function, and every invocation", async () => {
    const orderId = randomUUID();
    const received: string[] = [];
    sockets.push(
      await openSyncedSocket(
        runtime.state.endpoints.websocket,
        orderId,
        (frame) => void (frame.type === "status" && received.push(frame.status)),
      ),
    );
    await runtime.idle();
    const before = (await runtime.counters()).meter!;
    const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
    try {
      await publisher.publish(orderStatuses(orderId, 1, Date.UTC(2026, 10, 26)));
      await waitUntil(() => received.length === 1, 10_000, "the status frame");
      await runtime.idle();
    } finally {
      publisher.close();
    }
    const spent = meterDifference(before, (await runtime.counters()).meter!);
    // One append to a new order's item (under 1 KB) and the projection's update of an absent order.
    expect(spent.functions.OrderWSCallbackFunction).toMatchObject({
      invocations: 1,
      write_units: 1,
      read_units: 0,
      dynamodb_requests: 1,
    });
    expect(spent.functions.OrderStatusProjectionFunction).toMatchObject({ invocations: 1 });
    expect(spent.functions.OrderWSCallbackFunction!.billed_ms).toBeGreaterThan(0);
    expect(spent.unexpected_endpoint_requests).toBe(0);
  });

  it("runs the cost scenarios: several watchers each get every status, the cancel path carries the longest reason", async () => {
    const watched = await measureCost(runtime, { name: "3 watchers", watchers: 3, path: "success", orders: 2 }, 2);
    const cancelled = await measureCost(
      runtime,
      { name: "cancel", watchers: 2, path: "cancel-longest-reason", orders: 2 },
      2,
    );
    expect(watched).toMatchObject({ statuses_published: 8, statuses_delivered: 8, lost: 0, messages: { in: 6 } });
    expect(cancelled).toMatchObject({ statuses_published: 12, statuses_delivered: 12, lost: 0, messages: { in: 4 } });
    // Per order: its statuses, and each watcher's $connect, sync and $disconnect, each a write of at
    // least 1 unit; the cancel path's item holds a 1 KB reason, so its later writes cost 2.
    expect(watched.callback_store_write_units_per_status).toBeGreaterThanOrEqual((4 + 3 * 3) / 4);
    expect(cancelled.callback_store_write_units_per_status).toBeGreaterThan((6 + 3 * 2) / 6);
    expect(cancelled.order_service.transitions_per_order).toBe(0);
  }, 120_000);
});

describe("the cost scenarios in the results", () => {
  const figures = (callbackStore: number, lost = 0) => ({
    callback_store_write_units_per_status: callbackStore,
    write_units_per_status: callbackStore + 1,
    failed_conditional_writes_per_status: 0,
    usd_per_million_statuses: 5,
    statuses_published: 8,
    statuses_delivered: 8 - lost,
    lost,
  });
  const scenarios = [
    { name: "1 watcher per order", watchers: 1, path: "success", orders: 2, ours: figures(1.75), seed: figures(2) },
    { name: "10 watchers per order", watchers: 10, path: "success", orders: 2, ours: figures(9), seed: figures(8.5) },
    { name: "cancel", watchers: 1, path: "cancel-longest-reason", orders: 2, ours: figures(2, 1), seed: figures(3) },
  ];

  it("sets a goal per scenario: the callback store's write units at most the seed's, and nothing lost", () => {
    const targets = computeTargets({
      date: "",
      machine: {} as never,
      only: ["cost"],
      cost: { ours: { ...figures(1.75), lost: 0 }, seed: figures(2), scenarios } as unknown as CostResults,
    });
    const vsSeed = targets.filter((t) => t.metric.startsWith("callback store write units per status vs seed"));
    expect(vsSeed.map((t) => [t.metric.split(", ").pop(), t.pass])).toEqual([
      ["1 watcher per order", true],
      ["10 watchers per order", false],
      ["cancel", true],
    ]);
    expect(targets.filter((t) => t.metric.startsWith("statuses ours lost,")).map((t) => t.pass)).toEqual([true, false]);
  });

  it("reports every scenario next to the seed's", () => {
    expect(COST_SCENARIOS.map((s) => [s.watchers, s.path])).toEqual([
      [1, "success"],
      [3, "success"],
      [10, "success"],
      [1, "cancel-longest-reason"],
    ]);
    const ours = costOf(emptySpent, {
      ordersTable: "orders",
      statuses: 1,
      published: 1,
      orders: 1,
      messages: { in: 0, out: 0 },
      transitionsPerOrder: 0,
    });
    const markdown = costMarkdown({
      date: "",
      load_average_1m: 0,
      engine: "test",
      scenario: { orders: 2, statuses_per_order: 4, step_delay_ms: 0, concurrency: 1 },
      prices: PRICES,
      ours,
      seed: ours,
      scenarios,
    } as CostResults);
    expect(markdown).toContain("| 10 watchers per order | 2 | 9 | 8.5 | 1.06× |");
  });
});

const emptySpent: MeterSnapshot = { functions: {}, tables: {}, unexpected_endpoint_requests: 0 };

describe("per-status cost figures", () => {
  const meter = (fields: Partial<MeterSnapshot["functions"][string]>) => ({
    invocations: 0,
    billed_ms: 0,
    billed_ms_at_aws_latency: 0,
    write_units: 0,
    read_units: 0,
    dynamodb_requests: 0,
    failed_conditional_writes: 0,
    put_events_entries: 0,
    ...fields,
  });
  const spent: MeterSnapshot = {
    functions: {
      OrderWSCallbackFunction: meter({ invocations: 4, billed_ms: 40, billed_ms_at_aws_latency: 20, write_units: 6 }),
      OrderWSConnectFunction: meter({ invocations: 1, billed_ms: 10, billed_ms_at_aws_latency: 10, write_units: 2 }),
      CreateOrderFunction: meter({ invocations: 1, billed_ms: 100, write_units: 1, put_events_entries: 1 }),
      "(runtime)": meter({ put_events_entries: 3 }),
    },
    tables: { callbacks: { write_units: 8, read_units: 0 }, orders: { write_units: 1, read_units: 0 } },
    unexpected_endpoint_requests: 0,
  };
  const figures = costOf(spent, {
    ordersTable: "orders",
    statuses: 4,
    published: 4,
    orders: 1,
    messages: { in: 1, out: 5 },
    transitionsPerOrder: 6,
  });

  it("counts the status path's functions per delivered status, the order service apart", () => {
    expect(figures).toMatchObject({
      write_units_per_status: 2,
      callback_store_write_units_per_status: 2,
      lambda_ms_per_status: 12.5,
      lambda_invocations_per_status: 1.25,
      messages_per_status: 1.5,
      events_per_status: 1,
      lost: 0,
    });
    expect(figures.order_service).toMatchObject({
      transitions_per_order: 6,
      lambda_ms_per_order: 100,
      write_units_per_order: 1,
    });
  });

  it("prices them from the price table at each function's declared memory", () => {
    // Callback 1,024 MB and connect 512 MB as declared when written; read back from the figures.
    const gbSeconds =
      (40 * figures.by_function.OrderWSCallbackFunction!.memory_mb +
        10 * figures.by_function.OrderWSConnectFunction!.memory_mb) /
      1024 /
      1000;
    const usd =
      (8 * PRICES.dynamodb.usd_per_million_write_units) / 1e6 +
      gbSeconds * PRICES.lambda.usd_per_gb_second +
      (5 * PRICES.lambda.usd_per_million_requests) / 1e6 +
      (6 * PRICES.apiGatewayWebSocket.usd_per_million_messages) / 1e6 +
      (4 * PRICES.eventBridge.usd_per_million_events) / 1e6;
    expect(figures.usd_per_million_statuses).toBeCloseTo((usd / 4) * 1e6, 3);
  });
});
