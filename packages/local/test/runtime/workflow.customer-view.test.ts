/**
 * What the customer sees when the saga meets trouble, end to end through `npm start`'s runtime: from
 * `POST /orders` over a real socket and `GET /orders/{orderId}`. A step failing with a 5,000-character
 * message still ends `cancelled` at the customer, with a reason they can read; an EventBridge outage
 * after payment hands the order to an operator, whose republished statuses reach the customer.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as Saga from "@awsomepets/core/orders/saga";
import * as OrderStatus from "@awsomepets/core/status/event";
import { OrderTimeline } from "@awsomepets/client";
import { orderStore } from "../../../functions/src/lib/order-store";
import * as Steps from "../../../functions/src/workflow/steps";
import { names } from "../../src/runtime/start-runtime";
import { startTestRuntime } from "@test-support/local-runtime";

const LONG_MESSAGE = `Out of stock: ${"SOLD-OUT, ".repeat(500)}`.slice(0, 5000);
/** Orders for these names meet a step failing with a 5,000-character message. */
const FAILING: Record<string, { step: "reserve" | "complete"; error: Error }> = {
  "Outcome Long": { step: "reserve", error: new Saga.SagaStepError("InventoryUnavailable", LONG_MESSAGE) },
  "Bug Long": {
    step: "complete",
    error: Object.assign(
      new TypeError(`Cannot read properties of undefined\n${"    at step (file.ts:1:1)\n".repeat(200)}`.slice(0, 5000)),
    ),
  },
};
/** The step's input holds only the order's id: the name is read from the order's item, as the steps read it. */
const failing = async (input: { orderId: string }, step: "reserve" | "complete") => {
  const order = await orderStore().getOrder(input.orderId);
  const failure = FAILING[order?.shippingAddress.name ?? ""];
  if (failure?.step === step) throw failure.error;
};

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let sfn: SFNClient;
beforeAll(async () => {
  runtime = await startTestRuntime(
    // Standard: the operator's path below reads the execution's history, which Express keeps in its log group instead.
    { workflowType: "STANDARD" },
    {
      // The deployed step modules, failing for the orders above.
      overrideHandlers: {
        ReserveInventoryFunction: async (event) => {
          await failing(event as never, "reserve");
          return Steps.reserveInventory(event as never);
        },
        CompleteOrderFunction: async (event) => {
          await failing(event as never, "complete");
          return Steps.completeOrder(event as never);
        },
      },
    },
  );
  sfn = new SFNClient({
    endpoint: runtime.state.endpoints.stepfunctions,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  sfn.destroy();
  await runtime.close();
});
afterEach(() => vi.restoreAllMocks());

async function placeOrder(name: string) {
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: { name, line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
    }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { orderId: string; clientCallbackUrl: string };
}

/** A browser following docs/protocol.md until `until` holds for its timeline. */
async function watch(clientCallbackUrl: string, orderId: string, until: (timeline: OrderTimeline) => boolean) {
  const timeline = new OrderTimeline(orderId);
  const socket = new WebSocket(clientCallbackUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out at ${JSON.stringify(timeline.statuses)}`)), 15_000);
      const check = () => {
        if (!timeline.hasGap && until(timeline)) {
          clearTimeout(timer);
          resolve();
        }
      };
      socket.on("open", () => socket.send(JSON.stringify(timeline.syncRequest())));
      socket.on("message", (data) => {
        const update = timeline.apply(JSON.parse(String(data)) as Protocol.ServerFrame);
        if (update.syncNeeded) socket.send(JSON.stringify(timeline.syncRequest()));
        check();
      });
      socket.on("error", reject);
    });
  } finally {
    socket.close();
  }
  return timeline;
}

async function orderView(placed: { orderId: string; clientCallbackUrl: string }) {
  const token = new URL(placed.clientCallbackUrl).searchParams.get("token");
  const response = await fetch(`${runtime.state.endpoints.http}/orders/${placed.orderId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as { status: string; history: Array<{ status: string; reason?: string }> };
}

const executionArn = (orderId: string) =>
  `${runtime.stepFunctions.stateMachineArn(names("test", "STANDARD").stateMachineName).replace(":stateMachine:", ":execution:")}:${orderId}`;

describe("a step failing with a 5,000-character message", () => {
  it("a business outcome: the customer sees cancelled, with its message cut to the event's limit", async () => {
    // Act
    const placed = await placeOrder("Outcome Long");
    const timeline = await watch(placed.clientCallbackUrl, placed.orderId, (t) => t.terminal !== undefined);
    await runtime.events.idle();
    const view = await orderView(placed);

    // Assess
    expect(timeline.statuses.map((s) => s.status)).toEqual(["placed", "cancelled"]);
    const reason = timeline.terminal!.reason!;
    expect(reason).toHaveLength(OrderStatus.REASON_MAX_LENGTH);
    expect(reason).toBe(`${LONG_MESSAGE.slice(0, OrderStatus.REASON_MAX_LENGTH - 1)}…`);
    expect(view.status).toBe("cancelled");
    expect(view.history.at(-1)).toMatchObject({ status: "cancelled", reason });
    expect(runtime.events.deadLetters()).toEqual([]);
  });

  it("an unexpected error after payment: the customer sees refunded, released, cancelled, with a reason in their words", async () => {
    // Act
    const placed = await placeOrder("Bug Long");
    const timeline = await watch(
      placed.clientCallbackUrl,
      placed.orderId,
      (t) => t.terminal !== undefined && t.statuses.length === 6,
    );
    await runtime.events.idle();
    const view = await orderView(placed);

    // Assess
    expect(timeline.statuses.map((s) => s.status)).toEqual([
      "placed",
      "reserved",
      "paid",
      "refunded",
      "released",
      "cancelled",
    ]);
    for (const status of timeline.statuses.slice(3)) expect(status.reason).toBe(Saga.UNEXPECTED_FAILURE_REASON);
    expect(view).toMatchObject({ status: "cancelled" });
    expect(runtime.events.deadLetters()).toEqual([]);
  });
});

describe("an EventBridge outage after payment", () => {
  it("completes the order, hands it to an operator (StatusesNotPublished), and the statuses the operator publishes again reach the customer", async () => {
    // Prepare: from now on EventBridge answers 500 to every PutEvents of a status after `reserved`
    // (this test's order is the only one running).
    const send = EventBridgeClient.prototype.send;
    vi.spyOn(EventBridgeClient.prototype, "send").mockImplementation(function (
      this: EventBridgeClient,
      command: any,
      ...rest: any[]
    ) {
      const entries: Array<{ Detail?: string }> = command?.input?.Entries ?? [];
      const refused = entries.some((entry) => {
        const detail = JSON.parse(entry.Detail ?? "{}");
        return !["placed", "reserved"].includes(detail.status);
      });
      if (refused)
        return Promise.reject(
          Object.assign(new Error("An internal error occurred"), { name: "InternalException", $fault: "server" }),
        );
      return (send as any).call(this, command, ...rest);
    });

    // Act
    const placed = await placeOrder("Outage After Payment");
    const before = await watch(placed.clientCallbackUrl, placed.orderId, (t) => t.statuses.length >= 2);
    await runtime.stepFunctions.idle();
    await runtime.events.idle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(placed.orderId) }));
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArn(placed.orderId), maxResults: 1000 }),
    );
    const handedOver = JSON.parse(
      events.find((event) => event.type === "FailStateEntered")!.stateEnteredEventDetails!.input!,
    );

    // Assess: the order was paid and completed, the customer saw only up to reserved, an operator is alarmed.
    expect(before.statuses.map((s) => s.status)).toEqual(["placed", "reserved"]);
    expect(described).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
    expect(handedOver).toMatchObject({
      payment: { amountPaid: 450 },
      shipment: { shipmentId: `shp-${placed.orderId}` },
    });
    expect(Object.keys(handedOver.unpublished)).toEqual(["paid", "completed"]);
    expect((await orderView(placed)).status).toBe("reserved");

    // Act: the bus is back; the operator publishes what the execution names (as `npm run publish-status` does).
    vi.restoreAllMocks();
    const events2 = new EventBridgeClient({
      endpoint: runtime.state.endpoints.events,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const now = new Date().toISOString();
    await events2.send(
      new PutEventsCommand({
        Entries: [
          OrderStatus.toPutEventsEntry(
            { orderId: placed.orderId, status: "paid", occurredAt: now, amountPaid: handedOver.payment.amountPaid },
            runtime.state.eventBusName,
          ),
          OrderStatus.toPutEventsEntry(
            { orderId: placed.orderId, status: "completed", occurredAt: now },
            runtime.state.eventBusName,
          ),
        ],
      }),
    );
    events2.destroy();
    const after = await watch(
      placed.clientCallbackUrl,
      placed.orderId,
      (t) => t.terminal !== undefined && t.statuses.length === 4,
    );
    await runtime.events.idle();

    // Assess
    expect(after.statuses.map((s) => s.status).sort()).toEqual(["completed", "paid", "placed", "reserved"]);
    expect((await orderView(placed)).status).toBe("completed");
    expect(runtime.events.deadLetters()).toEqual([]);
  });
});
