/**
 * The order workflow as Express, through `npm start`'s runtime with every execution run twice (AWS
 * runs an asynchronous Express execution at least once; LOCAL_EXPRESS_RUNS_TWICE): on each of the four
 * saga paths the order ends as one run ends it — the customer sees each status once and in order,
 * GET /orders agrees, and the order holds one reservation, one payment, one refund at most.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Saga from "@awsomepets/core/orders/saga";
import { OrderTimeline } from "@awsomepets/client";
import { names } from "../../src/runtime/start-runtime";
import { startTestRuntime } from "@test-support/local-runtime";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let dynamo: DynamoDBDocumentClient;
beforeAll(async () => {
  runtime = await startTestRuntime({ workflowType: "EXPRESS", expressRunsTwice: true });
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: runtime.state.endpoints.dynamodb,
      region: "us-east-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
    }),
  );
});
afterAll(async () => {
  dynamo.destroy();
  await runtime.close();
});

const storedOrder = async (orderId: string) =>
  (
    await dynamo.send(
      new GetCommand({
        TableName: names("test").ordersTable,
        Key: OrdersTable.orderKey(orderId),
        ConsistentRead: true,
      }),
    )
  ).Item;

const order = (overrides: { sku?: string; cardToken?: string; country?: string } = {}) => ({
  basket: [{ sku: "DOG-LAB", quantity: 1 }, ...(overrides.sku ? [{ sku: overrides.sku, quantity: 1 }] : [])],
  paymentDetail: { cardToken: overrides.cardToken ?? "tok_visa" },
  shippingAddress: {
    name: "Ana Silva",
    line1: "1 Rua Augusta",
    city: "Lisboa",
    postalCode: "1100-048",
    country: overrides.country ?? "PT",
  },
});

async function post(body: unknown) {
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * How long a client waits for an order's last status: each path ends in 1-4 s on an idle machine, but
 * on two shared cores under load the undeliverable path (six statuses, two runs) took over 15 s.
 */
const WAIT_MS = 60_000;

/** A client following docs/protocol.md until both executions have ended and every delivery is done. */
async function watch(clientCallbackUrl: string, orderId: string, count: number) {
  const timeline = new OrderTimeline(orderId);
  const socket = new WebSocket(clientCallbackUrl);
  const frames: Protocol.ServerFrame[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Not terminal: ${JSON.stringify(timeline.statuses)}`)), WAIT_MS);
    socket.on("open", () => socket.send(JSON.stringify(timeline.syncRequest())));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Protocol.ServerFrame;
      frames.push(frame);
      const update = timeline.apply(frame);
      if (update.syncNeeded) socket.send(JSON.stringify(timeline.syncRequest()));
      if (timeline.statuses.length >= count && !timeline.hasGap) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on("error", reject);
  });
  await runtime.stepFunctions.idle();
  await runtime.events.idle();
  await new Promise((resolve) => setTimeout(resolve, 100)); // anything late would arrive now
  socket.close();
  return { timeline, statusFrames: frames.filter((f) => f.type === "status") };
}

describe("each order's Express execution run twice", () => {
  it.each([
    ["success", {}, ["placed", "reserved", "paid", "completed"], { paid: true, refunded: false, released: false }],
    [
      "sold out",
      { sku: "SOLD-OUT" },
      ["placed", "cancelled"],
      { paid: false, refunded: false, released: false, reserved: false },
    ],
    [
      "declined card",
      { cardToken: Saga.DECLINED_CARD_TOKEN },
      ["placed", "reserved", "released", "cancelled"],
      { paid: false, refunded: false, released: true },
    ],
    [
      "undeliverable address",
      { country: Saga.UNDELIVERABLE_COUNTRY },
      ["placed", "reserved", "paid", "refunded", "released", "cancelled"],
      { paid: true, refunded: true, released: true },
    ],
  ] as Array<[string, object, string[], { paid: boolean; refunded: boolean; released: boolean; reserved?: boolean }]>)(
    "%s: ends as once — each status shown once, one reservation, one charge, one refund at most",
    async (_path, overrides, expected, outcome) => {
      // Act
      const placed = await post(order(overrides));
      const { timeline, statusFrames } = await watch(
        placed.body.clientCallbackUrl,
        placed.body.orderId,
        expected.length,
      );
      // Assess: both executions ran to their end
      const orderId = placed.body.orderId as string;
      const ended = runtime.records.filter(
        (r) => r.orderId === orderId && /^execution\.(succeeded|failed|timed-out)$/.test(String(r.message)),
      );
      expect(runtime.records.filter((r) => r.orderId === orderId && r.message === "execution.duplicated")).toHaveLength(
        1,
      );
      expect(ended.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      // The customer: every status once, in order. The second execution's statuses reach the callback
      // as duplicates: recorded once, re-posted with their first seq, which the page drops (docs/protocol.md).
      expect(timeline.statuses.map((s) => s.status)).toEqual(expected);
      const seqs = new Map<string, Set<number>>();
      for (const frame of statusFrames as Array<{ status: string; seq: number }>)
        (seqs.get(frame.status) ?? seqs.set(frame.status, new Set()).get(frame.status)!).add(frame.seq);
      expect([...seqs.keys()].sort()).toEqual([...expected].sort());
      for (const [status, seen] of seqs) expect({ status, seqs: seen.size }).toEqual({ status, seqs: 1 });
      const view = (await (
        await fetch(`${runtime.state.endpoints.http}/orders/${orderId}`, {
          headers: { authorization: `Bearer ${new URL(placed.body.clientCallbackUrl).searchParams.get("token")}` },
        })
      ).json()) as any;
      expect(view.history.map((h: { status: string }) => h.status)).toEqual(expected);
      // The order: what the steps did, once
      const item = (await storedOrder(orderId))!;
      expect(item.reservation === undefined).toBe(outcome.reserved === false);
      if (outcome.reserved !== false) expect(item.reservation.reservationId).toBe(`res-${orderId}`);
      expect(item.reservation?.releasedAt !== undefined).toBe(outcome.released);
      expect(item.payment?.outcome === "paid").toBe(outcome.paid);
      if (outcome.paid) expect(item.payment.paymentId).toBe(`pay-${Saga.paymentIdempotencyKey(orderId)}`);
      expect(item.refund !== undefined).toBe(outcome.refunded);
      if (outcome.refunded) expect(item.refund.refundId).toBe(`ref-${Saga.refundIdempotencyKey(orderId)}`);
      expect(item).not.toHaveProperty("cardToken");
      expect(typeof item.workflowStartedAt).toBe("string");
    },
    WAIT_MS + 30_000,
  );
});
