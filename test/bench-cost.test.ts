/**
 * The cost metric's parts, without timing anything: the AWS meter in a real runtime process counts
 * the capacity units DynamoDB answers, per function, and hands callers the answer they would have
 * had without it; and the per-status figures and their price follow from what was metered.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meterDifference, type MeterSnapshot } from "../bench/lib/aws-meter";
import { PRICES } from "../bench/lib/aws-prices";
import { openSyncedSocket, type OrderSocket } from "../bench/lib/order-socket";
import { createPublisher, orderStatuses } from "../bench/lib/publisher";
import { startBenchRuntime, type BenchRuntime } from "../bench/lib/runtime-handle";
import { waitUntil } from "../bench/lib/wait";
import { costOf } from "../bench/metrics/cost";

describe("the AWS meter in the benchmark's runtime", () => {
  let runtime: BenchRuntime;
  const sockets: OrderSocket[] = [];
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
    sockets.push(await openSyncedSocket(runtime.state.endpoints.websocket, orderId, (frame) => void (frame.type === "status" && received.push(frame.status))));
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
    expect(spent.functions.OrderWSCallbackFunction).toMatchObject({ invocations: 1, write_units: 1, read_units: 0, dynamodb_requests: 1 });
    expect(spent.functions.OrderStatusProjectionFunction).toMatchObject({ invocations: 1 });
    expect(spent.functions.OrderWSCallbackFunction!.billed_ms).toBeGreaterThan(0);
    expect(spent.unexpected_endpoint_requests).toBe(0);
  });
});

describe("per-status cost figures", () => {
  const meter = (fields: Partial<MeterSnapshot["functions"][string]>) => ({ invocations: 0, billed_ms: 0, billed_ms_at_aws_latency: 0, write_units: 0, read_units: 0, dynamodb_requests: 0, failed_conditional_writes: 0, put_events_entries: 0, ...fields });
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
  const figures = costOf(spent, { ordersTable: "orders", statuses: 4, published: 4, orders: 1, messages: { in: 1, out: 5 }, transitionsPerOrder: 6 });

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
    expect(figures.order_service).toMatchObject({ transitions_per_order: 6, lambda_ms_per_order: 100, write_units_per_order: 1 });
  });

  it("prices them from the price table at each function's declared memory", () => {
    // Callback 1,024 MB and connect 512 MB as declared when written; read back from the figures.
    const gbSeconds = (40 * figures.by_function.OrderWSCallbackFunction!.memory_mb + 10 * figures.by_function.OrderWSConnectFunction!.memory_mb) / 1024 / 1000;
    const usd = 8 * PRICES.dynamodb.usd_per_million_write_units / 1e6 + gbSeconds * PRICES.lambda.usd_per_gb_second + 5 * PRICES.lambda.usd_per_million_requests / 1e6 + 6 * PRICES.apiGatewayWebSocket.usd_per_million_messages / 1e6 + 4 * PRICES.eventBridge.usd_per_million_events / 1e6;
    expect(figures.usd_per_million_statuses).toBeCloseTo((usd / 4) * 1e6, 3);
  });
});
